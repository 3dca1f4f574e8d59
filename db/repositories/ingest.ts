import { sql, type Transaction } from 'kysely';
import type { Database, Item } from '../schema.ts';

type Tx = Transaction<Database>;

export type ExistingItem = Pick<
  Item,
  'id' | 'external_id' | 'rating' | 'title' | 'body' | 'content_hash' | 'owner_reply_at' | 'owner_reply_text' | 'first_response_at' | 'status'
>;

/** Locks and returns the items of a source that a page is about to touch. */
export async function lockExistingItems(tx: Tx, sourceId: string, externalIds: string[]): Promise<Map<string, ExistingItem>> {
  if (externalIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('items')
    .select(['id', 'external_id', 'rating', 'title', 'body', 'content_hash', 'owner_reply_at', 'owner_reply_text', 'first_response_at', 'status'])
    .where('source_id', '=', sourceId)
    .where('external_id', 'in', externalIds)
    .forUpdate()
    .execute();
  return new Map(rows.map((row) => [row.external_id, row]));
}

export async function markItemsSeen(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('items')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .execute();
}

export async function saveSourceCursor(tx: Tx, sourceId: string, cursor: unknown): Promise<void> {
  await tx
    .updateTable('sources')
    .set({ cursor: cursor === undefined ? null : JSON.stringify(cursor) })
    .where('id', '=', sourceId)
    .execute();
}
