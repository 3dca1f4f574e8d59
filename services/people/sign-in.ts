import type { Db } from '../../db/database.ts';
import { countRecentFailures, forgetFailures, recordSignInAttempt } from '../../db/repositories/sign-in-attempts.ts';
import { findUserForSignIn, type UserRecord } from '../../db/repositories/users.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { startSession, type SessionLimits } from './sessions.ts';

/** Failures are counted over this window; beyond the limits, tries are refused until it passes. */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export interface SignInLimits extends SessionLimits {
  failuresPerEmail: number;
  failuresPerAddress: number;
}

export type SignInOutcome =
  | { kind: 'signed_in'; token: string; user: UserRecord }
  /** Wrong email or wrong password: the same answer for both, so no one learns who has an account. */
  | { kind: 'refused' }
  | { kind: 'too_many_attempts'; retryAfterSeconds: number };

/**
 * Checks an email and password and starts a session. Too many failures for the
 * email, or from the address, refuse further tries for a while, right or wrong,
 * without checking the password (so the guesser learns nothing).
 */
export async function signIn(
  db: Db,
  attempt: { email: string; password: string; address: string; userAgent: string | null },
  limits: SignInLimits,
): Promise<SignInOutcome> {
  const email = attempt.email.trim();
  const failures = await countRecentFailures(db, email, attempt.address, SIGN_IN_WINDOW_SECONDS);
  if (failures.email >= limits.failuresPerEmail || failures.address >= limits.failuresPerAddress) {
    return { kind: 'too_many_attempts', retryAfterSeconds: SIGN_IN_WINDOW_SECONDS };
  }
  const user = email === '' ? undefined : await findUserForSignIn(db, email);
  // The decoy costs what a real check costs: timing does not tell unknown emails apart.
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? (await decoyHash()));
  const succeeded = user !== undefined && matches;
  await recordSignInAttempt(db, { email, address: attempt.address, succeeded });
  if (!succeeded) return { kind: 'refused' };
  await forgetFailures(db, email);
  const token = await startSession(db, user, limits, attempt.userAgent);
  const { passwordHash: _hidden, ...record } = user;
  return { kind: 'signed_in', token, user: record };
}
