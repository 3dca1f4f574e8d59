import { sql, type UpdateObject } from 'kysely';
import type { Db } from '../database.ts';
import type { Database, SourceStatus, StreamState } from '../schema.ts';

/**
 * Each platform stream's row: where it resumes, which worker leads it and how it is
 * doing. Every write but the first is fenced by the leader's lease token, so a worker
 * that lost the lease (paused, cut off from Redis) cannot move the cursor or the state
 * of a stream another worker now leads: its write changes nothing and tells it so.
 */

/** Sources in this state are not served by their stream (nor polled) until resumed. */
export const NOT_STREAMED: SourceStatus = 'paused';

/** A stream as the health of the sources it serves shows it. */
export interface StreamStatus {
  state: StreamState;
  lastEventAt: Date | null;
  lastCommittedAt: Date | null;
  heartbeatAt: Date | null;
}

/**
 * Makes `leader` the stream's leader and returns where it resumes (null: never committed),
 * with the platform's time of the event there.
 */
export async function takeStreamLead(db: Db, stream: { id: string; sourceType: string }, leader: string): Promise<{ cursor: unknown; lastEventAt: Date | null }> {
  const row = await db
    .insertInto('stream_cursors')
    .values({ stream: stream.id, source_type: stream.sourceType, leader, state: 'connecting', heartbeat_at: sql<Date>`now()` })
    .onConflict((conflict) =>
      conflict.column('stream').doUpdateSet({ source_type: stream.sourceType, leader, state: 'connecting', heartbeat_at: sql<Date>`now()` }),
    )
    .returning(['cursor', 'last_event_at'])
    .executeTakeFirstOrThrow();
  return { cursor: row.cursor, lastEventAt: row.last_event_at };
}

export type StreamStateChange =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'down'; error: string | null };

/** An update of the stream's row that only its leader may make: false when `leader` no longer leads it. */
async function updateAsLeader(db: Db, streamId: string, leader: string, changes: UpdateObject<Database, 'stream_cursors'>): Promise<boolean> {
  const result = await db
    .updateTable('stream_cursors')
    .set({ ...changes, heartbeat_at: sql<Date>`now()` })
    .where('stream', '=', streamId)
    .where('leader', '=', leader)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records the connection's state; false when `leader` no longer leads the stream. */
export function recordStreamState(db: Db, streamId: string, leader: string, change: StreamStateChange): Promise<boolean> {
  return updateAsLeader(db, streamId, leader, {
    state: change.state,
    ...(change.state === 'connected' ? { connected_at: sql<Date>`now()` } : {}),
    ...(change.state === 'down' && change.error !== null ? { last_error: change.error, last_error_at: sql<Date>`now()` } : {}),
  });
}

/**
 * Moves the cursor past a batch whose items are committed, with the platform's time
 * of its newest event; false when `leader` no longer leads the stream.
 */
export function saveStreamProgress(db: Db, streamId: string, leader: string, progress: { cursor: unknown; lastEventAt: Date }): Promise<boolean> {
  return updateAsLeader(db, streamId, leader, { cursor: JSON.stringify(progress.cursor), last_event_at: progress.lastEventAt, last_committed_at: sql<Date>`now()` });
}

/** The leader is alive (written as its lease is renewed); false when it no longer leads. */
export function streamHeartbeat(db: Db, streamId: string, leader: string): Promise<boolean> {
  return updateAsLeader(db, streamId, leader, {});
}

/** The leader stops leading (on shutdown): down, with no one behind it, cursor kept. */
export async function leaveStream(db: Db, streamId: string, leader: string): Promise<void> {
  await updateAsLeader(db, streamId, leader, { state: 'down', leader: null });
}

/** A stream turned off by its setting serves no source: its sources show no stream. */
export async function forgetStream(db: Db, streamId: string): Promise<void> {
  await db.deleteFrom('stream_cursors').where('stream', '=', streamId).execute();
}

/** The sources a stream of `sourceType` serves now: every one not paused. */
export async function streamedSources(
  db: Db,
  sourceType: string,
): Promise<Array<{ id: string; account_id: string; business_id: string; config: Record<string, unknown>; credentials: string | null }>> {
  return db
    .selectFrom('sources')
    .select(['id', 'account_id', 'business_id', 'config', 'credentials'])
    .where('type', '=', sourceType)
    .where('status', '<>', NOT_STREAMED)
    .orderBy('id')
    .execute();
}

/**
 * Which of `sourceIds` hold which of `ids` still (not already removed): where a removal
 * the platform announced without saying what it matched applies. `ids` are external ids,
 * or with `by: 'payloadId'` the platform's own ids of its posts, as the `id` in an item's
 * stored payload (a Mastodon deletion names only the instance's status id).
 */
export async function itemsHeld(
  db: Db,
  sourceIds: string[],
  ids: string[],
  by: 'externalId' | 'payloadId' = 'externalId',
): Promise<Array<{ sourceId: string; externalId: string }>> {
  if (sourceIds.length === 0 || ids.length === 0) return [];
  const rows = await db
    .selectFrom('items')
    .select(['source_id', 'external_id'])
    .where('source_id', 'in', sourceIds)
    .where(by === 'externalId' ? sql.ref<string>('external_id') : sql<string>`raw->>'id'`, 'in', ids)
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((row) => ({ sourceId: row.source_id, externalId: row.external_id }));
}

/** Sources a stream brought new items to are not quiet, whatever their polls found since. */
export async function markSourcesHeard(db: Db, sourceIds: string[]): Promise<void> {
  if (sourceIds.length === 0) return;
  await db.updateTable('sources').set({ quiet_since: null }).where('id', 'in', sourceIds).where('quiet_since', 'is not', null).execute();
}
