import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { shortReason } from './error-reason.ts';
import { withoutPassword } from './safe-url.ts';
import { isRedisUnreachable } from './redis-errors.ts';

/**
 * Reports a Redis outage once when it starts and once when it ends. ioredis reconnects
 * on its own and emits an error per failed attempt (every 2 s); those are the same
 * outage, so they are counted here, not logged. Before the first connect nothing is
 * reported: start-up waits for Redis and names it in one line if it never comes.
 */
export function watchRedis(connection: Redis, url: string, log: Logger): { stop(): void } {
  const where = withoutPassword(url);
  let everReady = connection.status === 'ready';
  let lost = false;
  let stopped = false;
  let failedAttempts = 0;
  const markLost = (reason: string) => {
    if (lost || stopped || !everReady) return;
    lost = true;
    failedAttempts = 0;
    log.error({ redis: where, reason }, `Redis connection lost (${where}): ${reason}; queued work waits until it is back`);
  };
  connection.on('error', (error: Error) => {
    if (!isRedisUnreachable(error)) {
      if (!stopped) log.warn({ redis: where, err: error.message }, 'Redis error');
      return;
    }
    failedAttempts++;
    markLost(shortReason(error));
  });
  connection.on('close', () => markLost('connection closed'));
  connection.on('ready', () => {
    everReady = true;
    if (!lost || stopped) return;
    lost = false;
    log.info({ redis: where, failedAttempts }, `Redis connection back (${where})`);
  });
  return {
    stop() {
      stopped = true;
    },
  };
}
