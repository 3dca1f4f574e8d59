import { sql, type Transaction } from 'kysely';
import type { Database, Item, ItemStatus } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

type Tx = Transaction<Database>;

/** What the inbox rules need to decide an action on an item (a re-review request included). */
export type LockedItem = Pick<
  Item,
  'id' | 'business_id' | 'status' | 'rating' | 'published_at' | 'responded_at' | 'first_response_at' | 'first_response_source'
>;

/** The item's row, locked for the rest of the transaction, or undefined outside the scope. */
export async function lockItemInScope(trx: Tx, scope: TenantScope, itemId: string): Promise<LockedItem | undefined> {
  return trx
    .selectFrom('items')
    .select(['id', 'business_id', 'status', 'rating', 'published_at', 'responded_at', 'first_response_at', 'first_response_source'])
    .where('id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .forUpdate()
    .executeTakeFirst();
}

export async function setItemAnswered(
  trx: Tx,
  itemId: string,
  answer: { status: ItemStatus; respondedAt: Date; firstResponseAt: Date; firstResponseSource: 'platform' | 'earshot' },
): Promise<void> {
  await trx
    .updateTable('items')
    .set({
      status: answer.status,
      responded_at: answer.respondedAt,
      first_response_at: answer.firstResponseAt,
      first_response_source: answer.firstResponseSource,
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId)
    .execute();
}

/** The resolution time is kept while the item stays resolved. */
export async function setItemResolved(trx: Tx, itemId: string): Promise<void> {
  await trx
    .updateTable('items')
    .set({ status: 'resolved', resolved_at: sql`coalesce(resolved_at, now())`, updated_at: sql`now()` })
    .where('id', '=', itemId)
    .execute();
}

/** Clears the resolution time, so the next resolve dates the real fix. */
export async function setItemReopened(trx: Tx, itemId: string, status: ItemStatus): Promise<void> {
  await trx.updateTable('items').set({ status, resolved_at: null, updated_at: sql`now()` }).where('id', '=', itemId).execute();
}

/** An API key of the account that is not revoked, or undefined. */
export async function findActiveApiKey(trx: Tx, accountId: string, keyId: string): Promise<{ id: string; name: string } | undefined> {
  return trx
    .selectFrom('api_keys')
    .select(['id', 'name'])
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function setItemAssignee(trx: Tx, itemId: string, assignee: { name: string; keyId: string | null } | null): Promise<void> {
  await trx
    .updateTable('items')
    .set({ assignee: assignee?.name ?? null, assignee_key_id: assignee?.keyId ?? null, updated_at: sql`now()` })
    .where('id', '=', itemId)
    .execute();
}
