/**
 * How long a dropped stream waits before it connects again: 1 s, doubling to at most
 * 30 s while attempts keep failing. A connection that stayed up for a healthy spell
 * (a minute) proves the platform is back, so the next drop starts again from 1 s.
 * No jitter: one leader per stream means no crowd of clients reconnecting at once.
 */
export interface BackoffPolicy {
  firstMs: number;
  maxMs: number;
  healthyAfterMs: number;
}

export const RECONNECT_BACKOFF: BackoffPolicy = { firstMs: 1000, maxMs: 30_000, healthyAfterMs: 60_000 };

export interface ReconnectBackoff {
  /** The wait before the next attempt, given how long the connection that just ended was up (0: it never opened). */
  next(upForMs: number): number;
}

export function createReconnectBackoff(policy: BackoffPolicy = RECONNECT_BACKOFF): ReconnectBackoff {
  let failedInARow = 0;
  return {
    next(upForMs) {
      if (upForMs >= policy.healthyAfterMs) failedInARow = 0;
      const wait = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(failedInARow, 30));
      failedInARow++;
      return wait;
    },
  };
}
