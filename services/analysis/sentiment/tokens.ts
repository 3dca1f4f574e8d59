/**
 * Turns text into sentences of word tokens with clause structure: the tokenizer
 * every other part of the analyzer (lexicon, trained model, topics) shares.
 */

export const CLAUSE_BREAK = '|';
/** Replaces a turning word ("but", "pero"): what follows it is what the writer means. */
export const CONTRAST = '^';

// Order matters: URLs and handles go first, emoticons before punctuation eats them.
const TOKEN_PATTERN =
  /https?:\/\/\S+|www\.\S+|@\w+|<3|(?<![\p{L}\p{N}])[:;=8xX][-'^o]?[()\[\]dDpP/\\|*3]+(?![\p{L}\p{N}])|[)(][-'^]?[:;=]|\p{Extended_Pictographic}|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[,;:()!?"]|\s[-–—]\s/gu;
const SENTENCE_SPLIT = /(?<=[.!?…])\s+|\n+/u;

const CONTRAST_WORDS = new Set(['but', 'however', 'although', 'though', 'pero', 'aunque', 'porém', 'mas']);
const HAPPY_EMOTICON = /^(?:[:;=8xX][-'^o]?[)\]dDpP3*]+|[(\[][-'^]?[:;=]|<3)$/;

export const EMOTICON_POSITIVE = '<emo+>';
export const EMOTICON_NEGATIVE = '<emo->';

/** Sentences of a text; a sentence is kept only when it holds a letter, digit or emoji. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(SENTENCE_SPLIT)) {
    const sentence = part.trim();
    if (sentence !== '' && /[\p{L}\p{N}\p{Extended_Pictographic}]|[:;=][-']?[()]/u.test(sentence)) out.push(sentence);
  }
  return out;
}

/**
 * Lower-case word tokens of one sentence. Clause punctuation becomes CLAUSE_BREAK,
 * turning words become CONTRAST, "n't" becomes "not", emoticons become
 * EMOTICON_POSITIVE / EMOTICON_NEGATIVE, emoji are kept as they are, URLs and
 * @handles are dropped.
 */
export function tokenize(sentence: string): string[] {
  const out: string[] = [];
  for (const match of sentence.matchAll(TOKEN_PATTERN)) {
    const raw = match[0];
    const first = raw.charCodeAt(0);
    if (raw.length > 1 && (raw.startsWith('http') || raw.startsWith('www.') || first === 64 /* @ */)) continue;
    if (raw.length === 1 && ',;:()!?"'.includes(raw)) {
      pushBreak(out);
      continue;
    }
    if (raw.trim().length === 1 && '-–—'.includes(raw.trim())) {
      pushBreak(out);
      continue;
    }
    if (/^[\p{L}\p{N}]/u.test(raw)) {
      pushWord(out, raw.toLowerCase().replace(/’/g, "'"));
      continue;
    }
    if (/\p{Extended_Pictographic}/u.test(raw)) {
      out.push(raw);
      continue;
    }
    out.push(HAPPY_EMOTICON.test(raw) ? EMOTICON_POSITIVE : EMOTICON_NEGATIVE);
  }
  return out;
}

function pushBreak(out: string[]): void {
  if (out.length > 0 && out[out.length - 1] !== CLAUSE_BREAK && out[out.length - 1] !== CONTRAST) out.push(CLAUSE_BREAK);
}

function pushWord(out: string[], word: string): void {
  if (word.endsWith("n't")) {
    const stem = word.slice(0, -3);
    out.push(stem === 'ca' ? 'can' : stem === 'wo' ? 'will' : stem === 'sha' ? 'shall' : stem, 'not');
    return;
  }
  if (word === 'cannot') {
    out.push('can', 'not');
    return;
  }
  if (CONTRAST_WORDS.has(word)) {
    if (out.length > 0 && out[out.length - 1] === CLAUSE_BREAK) out[out.length - 1] = CONTRAST;
    else out.push(CONTRAST);
    return;
  }
  out.push(word);
}
