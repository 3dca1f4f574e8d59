import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Every kind of event an item's timeline stores (`detected` is not stored: it is the
 * item's own first_seen_at, added when the timeline is read). This file is the only
 * writer of item_events; the API documents each type in services/api/schemas/item.ts.
 */
export type ItemEventType =
  | 'platform_reply_seen'
  | 'revised'
  | 'removed'
  | 'flagged'
  | 'alerted'
  | 'alert_waiting'
  | 'responded'
  /** A reply published on the platform from Earshot, under its author's name. */
  | 'replied'
  | 'resolved'
  | 'reopened'
  | 'assigned'
  | 'unassigned'
  | 'note'
  | 're_review_requested'
  | 're_review_outcome';

export interface NewItemEvent {
  itemId: string;
  accountId: string;
  type: ItemEventType;
  actor: string;
  data: Record<string, unknown>;
  /** When it happened, if not now (a platform reply's own date). */
  at?: Date;
}

/** Appends events to item timelines; a batch is one statement with one array per column. */
export async function insertItemEvents(db: Kysely<Database>, events: NewItemEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    INSERT INTO item_events (item_id, account_id, type, actor, data, at)
    SELECT item_id, account_id, type, actor, data, coalesce(at, now())
    FROM unnest(
      ${events.map((e) => e.itemId)}::uuid[],
      ${events.map((e) => e.accountId)}::uuid[],
      ${events.map((e) => e.type)}::text[],
      ${events.map((e) => e.actor)}::text[],
      ${events.map((e) => JSON.stringify(e.data))}::jsonb[],
      ${events.map((e) => e.at ?? null)}::timestamptz[]
    ) AS v(item_id, account_id, type, actor, data, at)`.execute(db);
}

/**
 * An `INSERT … SELECT` of one event per row of `rows` (a CTE or table with `item_id`
 * and `account_id` columns), for a statement that writes rows and their events at
 * once; `data` and `at` are SQL over those rows. Returns the new events' ids.
 */
export function insertItemEventsFrom(
  rows: RawBuilder<unknown>,
  event: { type: ItemEventType; actor: string; data: RawBuilder<unknown>; at: RawBuilder<unknown> },
): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`
    INSERT INTO item_events (item_id, account_id, type, actor, data, at)
    SELECT item_id, account_id, ${event.type}, ${event.actor}, ${event.data}, ${event.at}
    FROM ${rows}
    RETURNING id`;
}
