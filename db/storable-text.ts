/**
 * What PostgreSQL can store. A text or jsonb value holding U+0000 is refused
 * ("invalid byte sequence", "unsupported Unicode escape sequence"), and jsonb refuses
 * half of a surrogate pair: one such character in a platform's review or error body
 * would make the whole statement fail. Both become U+FFFD, the replacement character,
 * so the reader still sees that something was there.
 */

const REPLACEMENT = '\uFFFD';

/** True when `text` goes into PostgreSQL as it is: storableText would give it back unchanged. */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

export function storableText(text: string): string {
  // Both checks are cheap scans; nearly every text needs neither replacement.
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', REPLACEMENT) : wellFormed;
}

/** At most `max` characters, never cutting a surrogate pair in two; a cut text ends in "…". */
export function storableTextUpTo(text: string, max: number): string {
  const clean = storableText(text);
  if (clean.length <= max) return clean;
  let end = max - 1;
  // A high surrogate at the cut would be left alone: cut before it.
  const code = clean.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}
