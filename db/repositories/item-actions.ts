import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { getItem, type ItemDetailRecord } from './item-queries.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface ItemAction {
  /** Who did it, as shown in the timeline: the API key's name. */
  actor: string;
  note?: string | undefined;
}

/**
 * Marks an item answered. The first response is kept: answering again only adds
 * to the timeline, so response-time figures measure the first answer, whoever
 * gave it (an owner reply seen on the platform counts too). A resolved item stays
 * resolved. Returns the item as it now is, or undefined when it is not in scope.
 */
export async function respondToItem(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  action: ItemAction,
): Promise<ItemDetailRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('items')
      .set({
        status: sql`CASE WHEN status = 'new' THEN 'responded' ELSE status END`,
        responded_at: sql`coalesce(responded_at, now())`,
        first_response_source: sql`CASE WHEN first_response_at IS NULL THEN 'earshot' ELSE first_response_source END`,
        first_response_at: sql`coalesce(first_response_at, now())`,
        updated_at: sql`now()`,
      })
      .where('id', '=', itemId)
      .where('account_id', '=', scope.accountId)
      .where(inBusinessScope('items.business_id', scope))
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return undefined;
    await recordEvent(trx, scope.accountId, itemId, 'responded', action);
    return getItem(trx, scope, itemId);
  });
}

/**
 * Marks an item's problem fixed. It does not invent a response: an item resolved
 * without an answer stays unanswered in response-time figures. The first
 * resolution time is kept; resolving again only adds to the timeline.
 */
export async function resolveItem(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  action: ItemAction,
): Promise<ItemDetailRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('items')
      .set({
        status: 'resolved',
        resolved_at: sql`coalesce(resolved_at, now())`,
        updated_at: sql`now()`,
      })
      .where('id', '=', itemId)
      .where('account_id', '=', scope.accountId)
      .where(inBusinessScope('items.business_id', scope))
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return undefined;
    await recordEvent(trx, scope.accountId, itemId, 'resolved', action);
    return getItem(trx, scope, itemId);
  });
}

async function recordEvent(db: Kysely<Database>, accountId: string, itemId: string, type: string, action: ItemAction): Promise<void> {
  const data = action.note === undefined ? {} : { note: action.note };
  await db
    .insertInto('item_events')
    .values({ item_id: itemId, account_id: accountId, type, actor: action.actor, data: JSON.stringify(data) })
    .execute();
}
