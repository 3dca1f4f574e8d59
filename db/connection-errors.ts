// Socket failures, whatever the service behind the socket: refused, cut, timed out, no route, no such host.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up), 53300 too many connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const DRIVER_MESSAGES = [/Connection terminated/i, /not queryable/i, /timeout exceeded when trying to connect/i];

/**
 * True when `error` is a socket failure or what `serviceSays` recognises as its client's
 * way of saying "unreachable", or when any member of an AggregateError is (a host with
 * several addresses, e.g. localhost → ::1 and 127.0.0.1, fails as a group). Shared by
 * the PostgreSQL check below and the Redis one (services/runtime/redis-errors.ts).
 */
export function isUnreachable(error: unknown, serviceSays: (error: Error) => boolean): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (serviceSays(error)) return true;
  return error instanceof AggregateError && error.errors.some((member) => isUnreachable(member, serviceSays));
}

/**
 * Errors that mean "PostgreSQL cannot be reached right now", as opposed to a bad query:
 * the socket failed or was cut, the server is shutting down or starting, or the pool
 * could not get a connection in time. Work that meets one should fail and be retried,
 * never be recorded as a defect.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  return isUnreachable(error, postgresSays);
}

function postgresSays(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  // SQLSTATE class 08: connection exception.
  if (typeof code === 'string' && (SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return DRIVER_MESSAGES.some((pattern) => pattern.test(error.message));
}
