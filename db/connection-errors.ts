/**
 * Errors that mean "PostgreSQL cannot be reached right now", as opposed to a bad query:
 * the socket failed or was cut, the server is shutting down or starting, or the pool
 * could not get a connection in time. Work that meets one should fail and be retried,
 * never be recorded as a defect.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up), 53300 too many connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const DRIVER_MESSAGES = [/Connection terminated/i, /not queryable/i, /timeout exceeded when trying to connect/i];

export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code)) return true;
    // SQLSTATE class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (DRIVER_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  // AggregateError from a host with several addresses (e.g. localhost → ::1 and 127.0.0.1).
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  return false;
}
