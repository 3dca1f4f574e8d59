import { Redis } from 'ioredis';
import { StartupError } from './startup-error.ts';
import { withoutPassword } from './safe-url.ts';
import { shortReason } from './error-reason.ts';

/**
 * A connection for commands a caller waits on (enqueueing, rate limits, budgets).
 * Once it has been ready, commands sent while Redis is away fail at once instead of
 * queueing in memory, so an API request answers 503 and a job fails and is retried,
 * rather than hanging. Before that (the first connect) they wait, so start-up needs no
 * ordering. BullMQ requires `maxRetriesPerRequest: null`.
 */
export function createRedisConnection(url: string): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, enableOfflineQueue: true });
  connection.once('ready', () => {
    connection.options.enableOfflineQueue = false;
  });
  return connection;
}

/** Workers' connections wait through an outage instead: BullMQ resumes them when Redis is back. */
export function createWorkerConnection(connection: Redis): Redis {
  return connection.duplicate({ enableOfflineQueue: true });
}

/** Resolves once `connection` is ready; a StartupError naming Redis and its URL after `withinMs`. */
export async function waitForRedis(connection: Redis, url: string, withinMs: number): Promise<void> {
  if (connection.status === 'ready') return;
  let lastError: Error | undefined;
  let onReady: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onError = (error: Error) => {
    lastError = error;
  };
  connection.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      onReady = resolve;
      connection.once('ready', onReady);
      timer = setTimeout(() => {
        const reason = lastError ? ` (${shortReason(lastError)})` : '';
        reject(
          new StartupError(
            `cannot reach Redis at ${withoutPassword(url)} within ${Math.round(withinMs / 1000)} s${reason}: check REDIS_URL and that Redis is running and reachable from here`,
          ),
        );
      }, withinMs);
    });
  } finally {
    clearTimeout(timer);
    connection.off('error', onError);
    if (onReady) connection.off('ready', onReady);
  }
}

/** Closes politely while Redis answers, at once when it does not (QUIT would wait for a reconnect). */
export async function closeRedis(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  await connection.quit().catch(() => connection.disconnect());
}
