import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ConnectorError } from '../../../connectors/contract.ts';

export interface BudgetLimits {
  requests: number;
  windowSeconds: number;
}

/** A platform's request allowance, shared by every worker process through Redis. */
export interface RequestBudget {
  /** Resolves when one request may be sent; waits for the next window if this one is used up. */
  take(platform: string, limits: BudgetLimits, signal?: AbortSignal): Promise<void>;
}

export interface RequestBudgetOptions {
  /** A longer wait is handed back to the queue as `rate_limited` instead of holding a worker. */
  maxWaitMs?: number;
}

// Fixed window, started by its first request. Counting and setting the expiry in one
// script means a crash between the two can never leave a counter that never resets;
// the window's length comes from Redis' own clock, so worker clocks need not agree.
const TAKE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if count <= tonumber(ARGV[1]) then return {1, ttl} end
return {0, ttl}
`;

/** `prefix` keeps several installs (or test files) apart in one Redis. */
export function createRequestBudget(redis: Redis, prefix: string, options: RequestBudgetOptions = {}): RequestBudget {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  return {
    async take(platform, limits, signal) {
      const key = `${prefix}:${platform}`;
      const windowMs = limits.windowSeconds * 1000;
      for (;;) {
        signal?.throwIfAborted();
        const [allowed, windowLeftMs] = (await redis.eval(TAKE_SCRIPT, 1, key, limits.requests, windowMs)) as [number, number];
        if (allowed === 1) return;
        if (windowLeftMs > maxWaitMs) {
          throw new ConnectorError(
            'rate_limited',
            `${platform}: the budget of ${limits.requests} requests per ${limits.windowSeconds} s is used up`,
            { retryAfterMs: windowLeftMs },
          );
        }
        await sleep(Math.max(1, windowLeftMs), undefined, { signal });
      }
    },
  };
}
