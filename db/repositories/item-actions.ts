import { sql, type Transaction } from 'kysely';
import type { Database, Item, ItemStatus, Role } from '../schema.ts';
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
  answer: { status: ItemStatus; respondedAt: Date; firstResponseAt: Date; firstResponseSource: 'platform' | 'earshot' | 'reply' },
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

/** A person of the account who may be given items, with the businesses they see (null: all). */
export async function findAssignablePerson(
  trx: Tx,
  accountId: string,
  userId: string,
): Promise<{ id: string; name: string; role: Role; businessIds: string[] | null } | undefined> {
  const row = await trx
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'role', 'business_ids'])
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && { id: row.id, name: row.display_name ?? row.email, role: row.role, businessIds: row.business_ids };
}

/** Who works the item: an API key (`keyId`), a person who signs in (`userId`), or a name only. */
export interface ItemAssignee {
  name: string;
  keyId: string | null;
  userId: string | null;
}

export async function setItemAssignee(trx: Tx, itemId: string, assignee: ItemAssignee | null): Promise<void> {
  await trx
    .updateTable('items')
    .set({
      assignee: assignee?.name ?? null,
      assignee_key_id: assignee?.keyId ?? null,
      assignee_user_id: assignee?.userId ?? null,
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId)
    .execute();
}
