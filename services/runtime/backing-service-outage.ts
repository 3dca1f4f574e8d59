import { isDatabaseUnreachable } from '../../db/connection-errors.ts';
import { isRedisUnreachable } from './redis-errors.ts';

/**
 * Earshot's own PostgreSQL or Redis cannot be reached right now. Work that meets this
 * waits and is retried; it is no caller's or platform's fault, and the outage itself is
 * logged once, where the connections are watched.
 */
export function isBackingServiceOutage(error: unknown): boolean {
  return isDatabaseUnreachable(error) || isRedisUnreachable(error);
}
