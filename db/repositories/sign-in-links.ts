import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { Role, SignInLinkPurpose, SignInLinksTable } from '../schema.ts';

/** A one-time link: an invitation into an account, or a password reset for one person. */
export interface SignInLinkRecord {
  id: string;
  accountId: string;
  purpose: SignInLinkPurpose;
  /** Who it is for; '' for the first owner's invitation, whose email the person types in. */
  email: string;
  /** Invitations: the role and business scope the person will have. */
  role: Role | null;
  businessIds: string[] | null;
  /** Password resets: whose password. */
  userId: string | null;
  /** Who made it, named on the page when the link no longer works. */
  createdBy: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = ['id', 'account_id', 'purpose', 'email', 'role', 'business_ids', 'user_id', 'created_by', 'expires_at', 'used_at', 'created_at'] as const;

function toRecord(row: Pick<Selectable<SignInLinksTable>, (typeof COLUMNS)[number]>): SignInLinkRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    purpose: row.purpose,
    email: row.email,
    role: row.role,
    businessIds: row.business_ids,
    userId: row.user_id,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    createdAt: row.created_at,
  };
}

export type NewSignInLink = Omit<SignInLinkRecord, 'id' | 'usedAt' | 'createdAt'>;

export async function insertSignInLink(db: Db, link: NewSignInLink): Promise<SignInLinkRecord> {
  const row = await db
    .insertInto('sign_in_links')
    .values({
      account_id: link.accountId,
      purpose: link.purpose,
      email: link.email,
      role: link.role,
      business_ids: link.businessIds,
      user_id: link.userId,
      created_by: link.createdBy,
      expires_at: link.expiresAt,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findSignInLink(db: Db, linkId: string): Promise<SignInLinkRecord | undefined> {
  const row = await db.selectFrom('sign_in_links').select(COLUMNS).where('id', '=', linkId).executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Uses a link up: succeeds for exactly one caller, and only while the link is unused
 * and unexpired, however many accept it at the same moment (the row lock makes the
 * others re-check `used_at` and find it set).
 */
export async function useSignInLink(db: Db, linkId: string): Promise<SignInLinkRecord | undefined> {
  const row = await db
    .updateTable('sign_in_links')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Once a password is set, no other reset link of that person still works. */
export async function useResetLinksOfUser(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('sign_in_links')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'password_reset')
    .where('used_at', 'is', null)
    .execute();
}

/** Invitations of the account not yet accepted and not yet expired, newest first. */
export async function listPendingInvitations(db: Db, accountId: string): Promise<SignInLinkRecord[]> {
  const rows = await db
    .selectFrom('sign_in_links')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'invitation')
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toRecord);
}

/** Withdraws an invitation of the account; its email, if not yet sent, goes with it (cascade). */
export async function deleteInvitation(db: Db, accountId: string, linkId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sign_in_links')
    .where('id', '=', linkId)
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'invitation')
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** What the email carrying a link needs: the link, and the name of the account it opens. */
export interface SignInLinkContext {
  link: SignInLinkRecord;
  accountName: string;
}

export async function loadSignInLinkContext(db: Db, linkId: string): Promise<SignInLinkContext | undefined> {
  const row = await db
    .selectFrom('sign_in_links as l')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .select(COLUMNS.map((column) => `l.${column}` as const))
    .select('a.name as account_name')
    .where('l.id', '=', linkId)
    .executeTakeFirst();
  return row && { link: toRecord(row), accountName: row.account_name };
}
