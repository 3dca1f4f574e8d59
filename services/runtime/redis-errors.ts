import { isUnreachable } from '../../db/connection-errors.ts';

const CLIENT_MESSAGES = [/Connection is closed/i, /enableOfflineQueue/i, /max retries per request/i, /Redis did not answer/i, /LOADING Redis is loading/i];

/**
 * Errors that mean "Redis cannot be reached right now": a refused or cut socket, or a
 * command ioredis would not queue while disconnected. A lost Redis delays work; it is
 * reported once as a change of state, not once per command.
 */
export function isRedisUnreachable(error: unknown): boolean {
  return isUnreachable(error, (error) => error.name === 'MaxRetriesPerRequestError' || CLIENT_MESSAGES.some((pattern) => pattern.test(error.message)));
}
