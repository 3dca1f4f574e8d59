import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface NewItemEvent {
  itemId: string;
  accountId: string;
  type: string;
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
