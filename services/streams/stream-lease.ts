import type { Redis } from 'ioredis';

/**
 * Leadership of one stream across every worker process: a Redis key set only if absent
 * (SET NX PX) to the leader's token, renewed while it lives and deleted when it stops.
 * A leader that dies stops renewing; the key expires and another worker takes it.
 * Renewing and releasing check the token first (in one script), so a worker whose lease
 * already passed to another can neither extend nor delete the other's.
 */

/** Long enough to ride out a slow renewal, short enough that a dead leader is replaced within 30 s. */
export const LEASE_MS = 15_000;
/** Three renewals per lease: one late renewal does not lose it. */
export const RENEW_EVERY_MS = 5_000;
// A Redis that does not answer within this is treated as not having renewed.
const COMMAND_TIMEOUT_MS = 2_000;

const RENEW_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface StreamLease {
  /** Identifies this leadership (process and attempt); also fences the stream's row in PostgreSQL. */
  readonly token: string;
  /** True when this worker now holds the lease. */
  acquire(): Promise<boolean>;
  /** True when the lease is still this worker's and was extended; false when it passed to another. Throws when Redis does not answer. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

function withinTimeout<T>(command: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}

export function streamLease(redis: Redis, key: string, token: string, leaseMs: number = LEASE_MS): StreamLease {
  return {
    token,
    async acquire() {
      return (await withinTimeout(redis.set(key, token, 'PX', leaseMs, 'NX'))) === 'OK';
    },
    async renew() {
      return Number(await withinTimeout(redis.eval(RENEW_IF_MINE, 1, key, token, String(leaseMs)))) === 1;
    },
    async release() {
      await withinTimeout(redis.eval(RELEASE_IF_MINE, 1, key, token));
    },
  };
}
