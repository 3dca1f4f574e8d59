import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { createAccount } from '../db/repositories/accounts.ts';
import { countApiKeys, createApiKey, findActiveKeyByHash } from '../db/repositories/api-keys.ts';
import { hashApiKey } from './security/api-key-secret.ts';

// An arbitrary constant: the advisory lock that makes "the very first start" happen once.
const FIRST_START_LOCK = 7_241_001;

/**
 * On a fresh install (no key has ever existed) creates an account and its owner key,
 * and returns the key so it can be shown once. Two processes starting together make one.
 */
export async function createFirstOwnerKey(db: Db): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${FIRST_START_LOCK})`.execute(tx);
    if ((await countApiKeys(tx)) > 0) return undefined;
    const account = await createAccount(tx, 'My business');
    const { key } = await createApiKey(tx, { accountId: account.id, role: 'owner', name: 'First owner key' });
    return key;
  });
}

/**
 * The account a key belongs to, shown beside the first owner key: adding keys to it
 * (`earshot keys create --account ID`) and recovering a lost owner key need it.
 */
export async function accountIdOfKey(db: Db, key: string): Promise<string | undefined> {
  return (await findActiveKeyByHash(db, hashApiKey(key)))?.accountId;
}
