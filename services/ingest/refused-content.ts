/**
 * PostgreSQL error codes that mean "this value cannot be stored" rather than "the
 * database is unwell": a data exception (class 22: bad encoding, a date or number out of
 * range), a broken NOT NULL or CHECK rule, or a value too large for an index. Only these
 * make ingest set one item aside; a lost connection, a deadlock or a bug in Earshot
 * (a TypeError) still fails the page, to be retried whole.
 */
const CONTENT_CODES = new Set(['23502', '23514', '54000', '54001']);

export function isRefusedContent(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  return error.code.startsWith('22') || CONTENT_CODES.has(error.code);
}
