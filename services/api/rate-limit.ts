import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { authOf } from './auth.ts';
import { isRedisUnreachable } from '../runtime/redis-errors.ts';
import { ApiError, errorBodyOf } from './errors.ts';
import { JSON_TYPE } from './schemas/common.ts';

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

/** One request's count, read from Redis or not (undefined: Redis did not answer; the request goes through). */
interface Counting {
  count: Promise<number | undefined>;
  resetsInSeconds: number;
}

/** Requests that change nothing: their count may be read while the answer is being prepared. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * A fixed one-minute window per API key, counted in Redis so that every API
 * process shares it. Fixed windows allow up to twice the limit across a window
 * boundary; that is accepted for one INCR per request. When Redis does not
 * answer, requests are let through: the limit protects the service, it must not
 * take it down.
 *
 * A request that may change something waits for its count before it goes on. A
 * GET or HEAD changes nothing, so its count is read while the route does its work
 * (one round trip less to wait for) and checked before the answer leaves: over the
 * limit, the answer is replaced by the same 429 as ever.
 */
export function addRateLimitPerKey(api: FastifyInstance, options: RateLimitOptions, log: FastifyBaseLogger): void {
  const { connection, prefix, perMinute } = options;
  if (perMinute === 0) return;
  const pending = new WeakMap<FastifyRequest, Counting>();

  const startCounting = (request: FastifyRequest): Counting => {
    const { keyId } = authOf(request);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const count = withTimeout(countRequest(connection, `${prefix}:rate-limit:${keyId}:${window}`), REDIS_TIMEOUT_MS).catch((error: unknown) => {
      // A Redis outage is logged once by the queues' connection watch; this would repeat it per request.
      if (isRedisUnreachable(error)) log.debug({ err: error }, 'rate limit not checked: Redis unavailable');
      else log.warn({ err: error }, 'rate limit not checked');
      return undefined;
    });
    return { count, resetsInSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)) };
  };

  /** Sets the limit's headers; the refusal when the count is over the limit. */
  const verdict = async (counting: Counting, reply: FastifyReply): Promise<ApiError | undefined> => {
    const count = await counting.count;
    if (count === undefined) return undefined;
    const { resetsInSeconds } = counting;
    reply.header('ratelimit-limit', String(perMinute));
    reply.header('ratelimit-remaining', String(Math.max(0, perMinute - count)));
    reply.header('ratelimit-reset', String(resetsInSeconds));
    if (count <= perMinute) return undefined;
    return new ApiError(429, 'rate_limited', `this API key made more than ${perMinute} requests this minute; retry in ${resetsInSeconds} s`, {
      headers: { 'retry-after': String(resetsInSeconds) },
    });
  };

  api.addHook('onRequest', async (request, reply) => {
    const counting = startCounting(request);
    if (SAFE_METHODS.has(request.method)) {
      pending.set(request, counting);
      return;
    }
    const refusal = await verdict(counting, reply);
    if (refusal !== undefined) throw refusal;
  });
  // Whatever the answer (the route's, or an error's), it waits for the count. An error
  // thrown here would be answered by Fastify's default handler, not the API's, so the
  // refusal replaces the answer itself, in the API's error shape.
  api.addHook('onSend', async (request, reply, payload) => {
    const counting = pending.get(request);
    if (counting === undefined) return payload;
    pending.delete(request);
    const refusal = await verdict(counting, reply);
    if (refusal === undefined) return payload;
    reply.status(refusal.status).headers(refusal.headers).type(JSON_TYPE);
    return JSON.stringify(errorBodyOf(refusal));
  });
}
