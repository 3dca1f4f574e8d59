import type { HttpRequest } from '../../../connectors/contract.ts';

const REDACTED = '[redacted]';
// Header values that describe the request rather than authenticate it.
const PLAIN_HEADERS = new Set(['accept', 'content-type', 'user-agent', 'x-goog-fieldmask']);
// Shorter values are too likely to be ordinary words that the message needs.
const MIN_SECRET_LENGTH = 6;
// A configured credential is known to be secret; only a value this short is too common a word to scrub.
const MIN_CREDENTIAL_LENGTH = 4;

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

/**
 * Every value of a source's decrypted credentials, and of any JSON document among
 * them (a service account's private key), for scrubbing whatever a poll stores or
 * logs. Shorter values than request values are taken: these are known secrets.
 */
export function credentialSecrets(credentials: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const value of Object.values(credentials)) {
    if (typeof value !== 'string') continue;
    values.push(value);
    if (value.trimStart().startsWith('{')) {
      try {
        collectStrings(JSON.parse(value), values);
      } catch {
        // Not JSON after all: the value itself is already listed.
      }
    }
  }
  return [...new Set(values.filter((value) => value.length >= MIN_CREDENTIAL_LENGTH))];
}

// Query parameters and URL user-info that carry credentials by name, whoever's they are.
const SECRET_QUERY = /([?&](?:api[_-]?key|key|access[_-]?token|refresh[_-]?token|token|client[_-]?secret|secret|password|passwd|pass|sig|signature|auth|code)=)[^&#\s"'<>]+/gi;
const URL_USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s"'<>]+@/gi;

/** Credentials written into URLs anywhere in a text: `?key=…`, `https://user:pass@host`. */
export function redactUrlSecrets(text: string): string {
  return text.replace(SECRET_QUERY, `$1${REDACTED}`).replace(URL_USER_INFO, `$1${REDACTED}@`);
}

/** `redact` plus secrets in URLs: for anything a platform sent that will be stored or logged. */
export function redactAll(text: string, secrets: readonly string[]): string {
  return redactUrlSecrets(redact(text, secrets));
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a header value "Bearer abc…" goes before its token part.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.replaceAll(secret, REDACTED).replaceAll(encodeURIComponent(secret), REDACTED);
  }
  return result;
}
