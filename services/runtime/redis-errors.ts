/**
 * Errors that mean "Redis cannot be reached right now": a refused or cut socket, or a
 * command ioredis would not queue while disconnected. A lost Redis delays work; it is
 * reported once as a change of state, not once per command.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CLIENT_MESSAGES = [/Connection is closed/i, /enableOfflineQueue/i, /max retries per request/i, /Redis did not answer/i, /LOADING Redis is loading/i];

export function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (CLIENT_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  if (error instanceof AggregateError) return error.errors.some(isRedisUnreachable);
  return false;
}
