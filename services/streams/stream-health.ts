import type { StreamStatus } from '../../db/repositories/stream-cursors.ts';
import type { StreamState } from '../../db/schema.ts';
import { LEASE_MS } from './stream-lease.ts';

/** The stream beside a source's poll health: whether it is consuming, and how far behind the platform. */
export interface StreamHealth {
  state: StreamState;
  /** The platform's time of the newest event committed. */
  lastEventAt: Date | null;
  /**
   * Seconds between the platform announcing an event and Earshot committing it. While
   * connected: as of the last batch. Otherwise: how far behind now the stream has fallen,
   * which it has to catch up on from its cursor.
   */
  lagSeconds: number | null;
}

// A leader writes a heartbeat as it renews its lease; two leases without one mean no worker
// is behind the stream (all stopped or killed), whatever state its last leader wrote.
const LEADERLESS_AFTER_MS = 2 * LEASE_MS;

export function streamHealth(status: StreamStatus, now: Date): StreamHealth {
  const led = status.heartbeatAt !== null && now.getTime() - status.heartbeatAt.getTime() <= LEADERLESS_AFTER_MS;
  const state: StreamState = led ? status.state : 'down';
  const { lastEventAt, lastCommittedAt } = status;
  if (lastEventAt === null) return { state, lastEventAt, lagSeconds: null };
  const until = state === 'connected' && lastCommittedAt !== null ? lastCommittedAt : now;
  return { state, lastEventAt, lagSeconds: Math.max(0, until.getTime() - lastEventAt.getTime()) / 1000 };
}
