import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { Role } from '../schema.ts';

/** A live session with the person it belongs to, as every signed-in page needs it. */
export interface SessionRecord {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: Date;
  userId: string;
  accountId: string;
  email: string;
  displayName: string | null;
  role: Role;
  businessIds: string[] | null;
}

export async function insertSession(
  db: Db,
  session: { tokenHash: string; userId: string; accountId: string; csrfToken: string; expiresAt: Date; userAgent: string | null },
): Promise<string> {
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      account_id: session.accountId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      user_agent: session.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session whose cookie hashes to this, if it has reached neither its absolute nor its idle end. */
export async function findLiveSession(db: Db, tokenHash: string, idleSeconds: number): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.csrf_token', 's.last_seen_at', 'u.id as user_id', 'u.account_id', 'u.email', 'u.display_name', 'u.role', 'u.business_ids'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .executeTakeFirst();
  return (
    row && {
      sessionId: row.id,
      csrfToken: row.csrf_token,
      lastSeenAt: row.last_seen_at,
      userId: row.user_id,
      accountId: row.account_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      businessIds: row.business_ids,
    }
  );
}

export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now()` }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Signs a person out everywhere: every browser they used. */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions past either end are of no use; removed now and then so the table stays small. */
export async function deleteEndedSessions(db: Db, idleSeconds: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** After a password change: every browser of the person but the one that changed it is signed out. */
export async function deleteOtherSessionsOfUser(db: Db, userId: string, keepSessionId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
