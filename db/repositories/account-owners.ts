import type { Db } from '../database.ts';

/**
 * Holds the account row until the transaction ends, so two owners changing each other's
 * access at once are decided one after the other, never both against the same count.
 */
export async function lockAccount(tx: Db, accountId: string): Promise<void> {
  await tx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
}

/** Whether someone other than this person is an owner of the whole account (not limited to some businesses). */
export async function hasOtherAccountWideOwner(tx: Db, accountId: string, userId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('business_ids', 'is', null)
    .where('id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
