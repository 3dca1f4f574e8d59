import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface SkippedItem {
  externalId: string;
  reason: string;
  /** The item as it came, as text for someone to read; already storable. */
  payload: string;
}

/**
 * Keeps aside the items of a page that could not be stored. The same item seen again
 * by a later poll is kept once, with its latest reason and time.
 */
export async function keepSkippedItems(tx: Transaction<Database>, source: { id: string; account_id: string }, items: SkippedItem[]): Promise<void> {
  if (items.length === 0) return;
  await tx
    .insertInto('skipped_items')
    .values(items.map((item) => ({ source_id: source.id, account_id: source.account_id, external_id: item.externalId, reason: item.reason, payload: item.payload })))
    .onConflict((oc) =>
      oc.expression(sql`source_id, md5(external_id)`).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason'), payload: eb.ref('excluded.payload'), skipped_at: sql<Date>`now()` })),
    )
    .execute();
}
