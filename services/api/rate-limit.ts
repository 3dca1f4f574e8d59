import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import { authOf } from './auth.ts';
import { isRedisUnreachable } from '../runtime/redis-errors.ts';
import { ApiError } from './errors.ts';

const WINDOW_MS = 60_000;

// The queues' connection retries forever while Redis is away; requests must not wait on it.
const REDIS_TIMEOUT_MS = 1_000;

export interface RateLimitOptions {
  connection: Redis;
  /** Redis key namespace, shared with the queues (QUEUE_PREFIX). */
  prefix: string;
  /** Requests per key per minute; 0 turns the limit off. */
  perMinute: number;
}

/** INCR the window's counter and give it a lifetime the first time round, in one round trip. */
async function countRequest(connection: Redis, counterKey: string): Promise<number> {
  const results = await connection.multi().incr(counterKey).pexpire(counterKey, WINDOW_MS * 2, 'NX').exec();
  const [error, count] = results?.[0] ?? [new Error('rate limit transaction was discarded'), null];
  if (error) throw error;
  return Number(count);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A fixed one-minute window per API key, counted in Redis so that every API
 * process shares it. Fixed windows allow up to twice the limit across a window
 * boundary; that is accepted for one INCR per request. When Redis does not
 * answer, requests are let through: the limit protects the service, it must not
 * take it down.
 */
export function rateLimitPerKey(options: RateLimitOptions, log: FastifyBaseLogger): onRequestAsyncHookHandler {
  const { connection, prefix, perMinute } = options;
  return async (request, reply) => {
    if (perMinute === 0) return;
    const { keyId } = authOf(request);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetsInSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    let count: number;
    try {
      count = await withTimeout(countRequest(connection, `${prefix}:rate-limit:${keyId}:${window}`), REDIS_TIMEOUT_MS);
    } catch (error) {
      // A Redis outage is logged once by the queues' connection watch; this would repeat it per request.
      if (isRedisUnreachable(error)) log.debug({ err: error }, 'rate limit not checked: Redis unavailable');
      else log.warn({ err: error }, 'rate limit not checked');
      return;
    }
    reply.header('ratelimit-limit', String(perMinute));
    reply.header('ratelimit-remaining', String(Math.max(0, perMinute - count)));
    reply.header('ratelimit-reset', String(resetsInSeconds));
    if (count > perMinute) {
      throw new ApiError(429, 'rate_limited', `this API key made more than ${perMinute} requests this minute; retry in ${resetsInSeconds} s`, {
        headers: { 'retry-after': String(resetsInSeconds) },
      });
    }
  };
}
