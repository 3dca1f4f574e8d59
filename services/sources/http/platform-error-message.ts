const MAX_LENGTH = 300;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/**
 * The human part of a platform's error body, or null. Covers the envelopes the
 * connectors meet: Google `{error:{status,message}}`, XRPC `{error,message}`,
 * Mastodon `{error}`, Yelp `{error:{code,description}}`, Reddit `{message,error}`.
 */
export function platformErrorMessage(bodyText: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return null;
  }
  if (!isRecord(body)) return null;
  const error = body.error;
  const parts = isRecord(error)
    ? [error.status ?? error.code, error.message ?? error.description]
    : [typeof error === 'string' ? error : undefined, body.message];
  // Control characters (a NUL, a newline breaking a log line) and half an emoji carry no explanation.
  const text = parts
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(': ')
    .replace(CONTROL_CHARACTERS, ' ')
    .toWellFormed()
    .trim();
  if (text === '') return null;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
