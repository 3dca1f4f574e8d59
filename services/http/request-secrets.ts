import type { HttpRequest } from '../../connectors/contract.ts';

const REDACTED = '[redacted]';
// Header values that describe the request rather than authenticate it.
const PLAIN_HEADERS = new Set(['accept', 'content-type', 'user-agent', 'x-goog-fieldmask']);
// Shorter values are too likely to be ordinary words that the message needs.
const MIN_SECRET_LENGTH = 6;

/**
 * Every value in a request that could be a credential: header values, query
 * values and string fields of the body. Platforms sometimes echo what they were
 * sent in an error message, and those messages end up in logs and emails.
 */
export function secretsIn(request: HttpRequest): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (PLAIN_HEADERS.has(name.toLowerCase())) continue;
    values.push(value, ...value.split(/\s+/));
  }
  try {
    for (const value of new URL(request.url).searchParams.values()) values.push(value);
  } catch {
    // An unparsable URL is refused before anything is sent or echoed.
  }
  collectStrings(request.body, values);
  return [...new Set(values.filter((value) => value.length >= MIN_SECRET_LENGTH))];
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (value instanceof URLSearchParams) for (const entry of value.values()) into.push(entry);
  else if (Array.isArray(value)) for (const entry of value) collectStrings(entry, into);
  else if (typeof value === 'object' && value !== null) for (const entry of Object.values(value)) collectStrings(entry, into);
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a header value "Bearer abc…" goes before its token part.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.replaceAll(secret, REDACTED).replaceAll(encodeURIComponent(secret), REDACTED);
  }
  return result;
}
