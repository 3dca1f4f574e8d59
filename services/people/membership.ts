import type { Db } from '../../db/database.ts';
import { hasOtherAccountWideOwner, lockAccount } from '../../db/repositories/account-owners.ts';
import { deleteUser, findUser, updateUserAccess, type UserRecord } from '../../db/repositories/users.ts';
import type { Role } from '../../db/schema.ts';
import { checkBusinessScope } from './business-scope.ts';
import { PeopleRefusal } from './people-refusal.ts';

function isAccountWideOwner(person: { role: Role; businessIds: readonly string[] | null }): boolean {
  return person.role === 'owner' && person.businessIds === null;
}

function notFound(): PeopleRefusal {
  return new PeopleRefusal('That person is not a member of this account (any more).');
}

/**
 * Runs a change to one person under the account's lock, refusing it when it would leave
 * the account without an owner of all its businesses: nobody could then invite,
 * change access or manage keys.
 */
async function changeKeepingAnOwner<T>(
  db: Db,
  accountId: string,
  userId: string,
  after: { role: Role; businessIds: readonly string[] | null } | 'removed',
  change: (tx: Db, person: UserRecord) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await lockAccount(tx, accountId);
    const person = await findUser(tx, accountId, userId);
    if (person === undefined) throw notFound();
    const stopsBeingOwner = isAccountWideOwner(person) && (after === 'removed' || !isAccountWideOwner(after));
    if (stopsBeingOwner && !(await hasOtherAccountWideOwner(tx, accountId, userId))) {
      const what = after === 'removed' ? 'removed' : 'given another role or a business scope';
      throw new PeopleRefusal(
        `${person.displayName ?? person.email} is the account's last owner of all businesses and cannot be ${what}: make someone else an owner of all businesses first.`,
        { conflict: true },
      );
    }
    return change(tx, person);
  });
}

/** Changes a person's role and business scope; their sessions see it at their next request. */
export async function changeAccess(
  db: Db,
  accountId: string,
  userId: string,
  access: { role: Role; businessIds?: readonly string[] | null },
): Promise<UserRecord> {
  const scope = await checkBusinessScope(db, accountId, access.businessIds);
  if (scope.kind === 'not_in_account') throw new PeopleRefusal('Businesses: one of them is not a business of this account.', { field: 'businessIds' });
  const wanted = { role: access.role, businessIds: scope.businessIds };
  return changeKeepingAnOwner(db, accountId, userId, wanted, async (tx) => {
    const updated = await updateUserAccess(tx, accountId, userId, wanted);
    if (updated === undefined) throw notFound();
    return updated;
  });
}

/** Removes a person from the account; every session of theirs ends with them (cascade), at once. */
export async function removePerson(db: Db, accountId: string, userId: string): Promise<UserRecord> {
  return changeKeepingAnOwner(db, accountId, userId, 'removed', async (tx, person) => {
    await deleteUser(tx, accountId, userId);
    return person;
  });
}
