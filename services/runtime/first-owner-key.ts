import type { Db } from '../../db/database.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { lockForTransaction } from '../../db/repositories/advisory-locks.ts';
import { countApiKeys } from '../../db/repositories/api-keys.ts';
import { createApiKey } from '../keys/create-api-key.ts';

// An arbitrary constant: the advisory lock that makes "the very first start" happen once.
const FIRST_START_LOCK = 7_241_001;

export interface FirstOwner {
  /** Shown once, never stored. */
  key: string;
  /** Adding keys to the account (`earshot keys create --account ID`) and recovering a lost owner key need it. */
  accountId: string;
}

/**
 * On a fresh install (no key has ever existed) creates an account and its owner key,
 * and returns both so they can be shown once. Two processes starting together make one.
 */
export async function createFirstOwnerKey(db: Db): Promise<FirstOwner | undefined> {
  return db.transaction().execute(async (tx) => {
    await lockForTransaction(tx, FIRST_START_LOCK);
    if ((await countApiKeys(tx)) > 0) return undefined;
    const account = await createAccount(tx, 'My business');
    const { key } = await createApiKey(tx, { accountId: account.id, role: 'owner', name: 'First owner key' });
    return { key, accountId: account.id };
  });
}
