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

/**
 * INCR the window's counter and give it a lifetime if it has none, atomically. One
 * script is one command for Redis to run and one reply to read, where MULTI, INCR,
 * PEXPIRE, EXEC were four of each on every API request.
 */
const COUNT_REQUEST = `
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
return count
`;

async function countRequest(connection: Redis, counterKey: string): Promise<number> {
  return Number(await connection.eval(COUNT_REQUEST, 1, counterKey, WINDOW_MS * 2));
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
