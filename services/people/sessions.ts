import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { findLiveSession, insertSession, touchSession, type SessionRecord } from '../../db/repositories/sessions.ts';

/** Who is signed in, as every page and form sees them: their scope is what every query is filtered by. */
export interface Person {
  readonly userId: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly accountId: string;
  readonly businessIds: readonly string[] | null;
  readonly role: SessionRecord['role'];
  readonly email: string;
  readonly displayName: string | null;
  /** How the person is named in item timelines: their display name, else their email. */
  readonly actor: string;
}

export interface SessionLimits {
  idleHours: number;
  maxDays: number;
}

/** Last-seen is written at most this often, not on every page view. */
const TOUCH_EVERY_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; the returned token goes into the cookie and is kept nowhere else. */
export async function startSession(db: Db, user: { id: string; accountId: string }, limits: SessionLimits, userAgent: string | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertSession(db, {
    tokenHash: hashSessionToken(token),
    userId: user.id,
    accountId: user.accountId,
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(Date.now() + limits.maxDays * 86_400_000),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** The person a session cookie stands for, or undefined when the session ended, was revoked or never was. */
export async function personOfSession(db: Db, token: string, limits: SessionLimits): Promise<Person | undefined> {
  if (token.length === 0 || token.length > 100) return undefined;
  const session = await findLiveSession(db, hashSessionToken(token), limits.idleHours * 3600);
  if (session === undefined) return undefined;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, session.sessionId);
  return {
    userId: session.userId,
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    accountId: session.accountId,
    businessIds: session.businessIds,
    role: session.role,
    email: session.email,
    displayName: session.displayName,
    actor: session.displayName ?? session.email,
  };
}
