/**
 * Whole-word, any-case matching of watched terms. Platform search matches loosely
 * (prefixes, stems, typos: "apple" finds "applauded"), so every hit is checked
 * again against the text itself.
 */

// Letters, digits and marks of any script count as part of a word.
const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}_]';
// Scripts written without spaces between words have no word edges to look for.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function termPattern(term: string): string {
  const normalized = term.normalize('NFC').trim();
  const words = normalized.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const characters = Array.from(normalized);
  const before = UNSPACED_SCRIPT.test(characters.at(0) ?? '') ? '' : `(?<!${WORD_CHAR})`;
  const after = UNSPACED_SCRIPT.test(characters.at(-1) ?? '') ? '' : `(?!${WORD_CHAR})`;
  return `${before}${words.join('\\s+')}${after}`;
}

/** A test for "contains any of `terms`"; never true when `terms` is empty. */
export function containsAnyTerm(terms: readonly string[]): (text: string) => boolean {
  if (terms.length === 0) return () => false;
  const pattern = new RegExp(terms.map(termPattern).join('|'), 'iu');
  return (text) => pattern.test(text.normalize('NFC'));
}
