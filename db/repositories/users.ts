import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { QuietHoursSetting, Role } from '../schema.ts';

/** A person of an account, without their password hash. */
export interface UserRecord {
  id: string;
  accountId: string;
  email: string;
  displayName: string | null;
  role: Role;
  businessIds: string[] | null;
  createdAt: Date;
}

const USER_COLUMNS = ['id', 'account_id', 'email', 'display_name', 'role', 'business_ids', 'created_at'] as const;

function toUser(row: { id: string; account_id: string; email: string; display_name: string | null; role: Role; business_ids: string[] | null; created_at: Date }): UserRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    businessIds: row.business_ids,
    createdAt: row.created_at,
  };
}

export interface NewUser {
  accountId: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  businessIds: string[] | null;
}

/** Adds a person; a second person with the same email, in any case, is a unique violation (23505). */
export async function insertUser(db: Db, user: NewUser): Promise<UserRecord> {
  const row = await db
    .insertInto('users')
    .values({
      account_id: user.accountId,
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      business_ids: user.businessIds,
    })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** The person with this email, in any case, with the hash to check a password against. */
export async function findUserForSignIn(db: Db, email: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

/** The person with this email in any account, for sign-up and reset checks. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  return row && toUser(row);
}

export async function findUser(db: Db, accountId: string, userId: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).where('account_id', '=', accountId).executeTakeFirst();
  return row && toUser(row);
}

/** Everyone in the account, by name then email. */
export async function listUsers(db: Db, accountId: string): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('account_id', '=', accountId)
    .orderBy(sql`lower(coalesce(display_name, email))`)
    .orderBy('email')
    .execute();
  return rows.map(toUser);
}

export async function updateUserAccess(db: Db, accountId: string, userId: string, access: { role: Role; businessIds: string[] | null }): Promise<UserRecord | undefined> {
  const row = await db
    .updateTable('users')
    .set({ role: access.role, business_ids: access.businessIds, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function updateUserPassword(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: sql<Date>`now()` }).where('id', '=', userId).execute();
}

export async function updateUserDisplayName(db: Db, accountId: string, userId: string, displayName: string | null): Promise<void> {
  await db
    .updateTable('users')
    .set({ display_name: displayName, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .execute();
}

/** The person's quiet hours (null: never quiet); undefined when the account has no such person. */
export async function findUserQuietHours(db: Db, accountId: string, userId: string): Promise<QuietHoursSetting | null | undefined> {
  const row = await db.selectFrom('users').select('quiet_hours').where('id', '=', userId).where('account_id', '=', accountId).executeTakeFirst();
  return row && row.quiet_hours;
}

/** Sets the person's quiet hours, already checked; null: never quiet. */
export async function updateUserQuietHours(db: Db, accountId: string, userId: string, quietHours: QuietHoursSetting | null): Promise<void> {
  await db
    .updateTable('users')
    .set({ quiet_hours: quietHours === null ? null : JSON.stringify(quietHours), updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .execute();
}

/** Removes a person; their sessions and unused reset links go with them (cascade). */
export async function deleteUser(db: Db, accountId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', userId).where('account_id', '=', accountId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** How many owners the account has who sign in: the last one may not be removed or demoted. */
export async function countOwners(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
