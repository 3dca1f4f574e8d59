import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { Source } from '../schema.ts';
import { servesSource } from './serving-stream.ts';

/** Sources whose next poll is due, for the scheduler and the reconciler. */
export async function listDueSources(db: Db, now: Date, limit = 1000): Promise<Array<{ id: string; next_poll_at: Date }>> {
  return db
    .selectFrom('sources')
    .select(['id', 'next_poll_at'])
    .where('status', 'in', ['ok', 'failing'])
    .where('next_poll_at', '<=', now)
    .orderBy('next_poll_at')
    .limit(limit)
    .execute();
}

/**
 * Makes a source due now (a "poll now" request) and returns its slot, or undefined when
 * the source is not in this account. A paused or misconfigured source may still be
 * polled by hand: that is how an owner checks a fix.
 */
export async function makeDueNow(db: Db, accountId: string, sourceId: string): Promise<Date | undefined> {
  const row = await db
    .updateTable('sources')
    .set({ next_poll_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', sourceId)
    .where('account_id', '=', accountId)
    .returning('next_poll_at')
    .executeTakeFirst();
  return row?.next_poll_at;
}

/**
 * Claims one poll slot of a source. Succeeds when the slot is still due, or when this
 * slot was already claimed (a retry of the same job). A second scheduler's duplicate
 * job for a slot that has been polled finds `next_poll_at` moved on and gets nothing.
 *
 * A source whose stream connection is connected gets its items within seconds: its poll
 * is only the safety net, due again after `safetyNetMinutes` at the soonest. Each poll
 * reads from the source's cursor, so the net still covers everything since the last one.
 */
export async function claimPollSlot(db: Db, sourceId: string, slot: string, manual: boolean, safetyNetMinutes: number): Promise<Source | undefined> {
  const streamConnected = sql<boolean>`EXISTS (SELECT 1 FROM stream_cursors sc WHERE sc.state = 'connected' AND ${servesSource})`;
  return db
    .updateTable('sources')
    .set({
      claimed_slot: slot,
      last_polled_at: sql<Date>`now()`,
      next_poll_at: sql<Date>`now() + make_interval(mins => CASE WHEN ${streamConnected} THEN greatest(poll_every_minutes, ${safetyNetMinutes}::int) ELSE poll_every_minutes END)`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', sourceId)
    .where((eb) =>
      eb.or([
        // The slot came through JavaScript, which keeps milliseconds; Postgres keeps microseconds.
        eb.and([eb('next_poll_at', '<', new Date(Date.parse(slot) + 1)), manual ? eb.lit(true) : eb('status', 'in', ['ok', 'failing'])]),
        eb('claimed_slot', '=', slot),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}
