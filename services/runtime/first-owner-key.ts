import type { Db } from '../../db/database.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { lockForTransaction } from '../../db/repositories/advisory-locks.ts';
import { countApiKeys } from '../../db/repositories/api-keys.ts';
import { createApiKey } from '../keys/create-api-key.ts';
import { inviteFirstOwner } from '../people/invitations.ts';
import type { SignInLinkSettings } from '../people/sign-in-link-token.ts';

// An arbitrary constant: the advisory lock that makes "the very first start" happen once.
const FIRST_START_LOCK = 7_241_001;

export interface FirstOwner {
  /** Shown once, never stored. */
  key: string;
  /** Adding keys to the account (`earshot keys create --account ID`) and recovering a lost owner key need it. */
  accountId: string;
  /** A one-time link that creates the first owner's sign-in to the web app (they type their email in). */
  signInUrl: string;
}

/**
 * On a fresh install (no key has ever existed) creates an account, its owner key and
 * the invitation of its first owner, and returns them so they can be shown once. Two
 * processes starting together make one.
 */
export async function createFirstOwnerKey(db: Db, invitation: { links: SignInLinkSettings; days: number }): Promise<FirstOwner | undefined> {
  return db.transaction().execute(async (tx) => {
    await lockForTransaction(tx, FIRST_START_LOCK);
    if ((await countApiKeys(tx)) > 0) return undefined;
    const account = await createAccount(tx, 'My business');
    const { key } = await createApiKey(tx, { accountId: account.id, role: 'owner', name: 'First owner key' });
    const signInUrl = await inviteFirstOwner(tx, account.id, invitation.links, new Date(Date.now() + invitation.days * 86_400_000));
    return { key, accountId: account.id, signInUrl };
  });
}
