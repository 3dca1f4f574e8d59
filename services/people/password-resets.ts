import type { Db } from '../../db/database.ts';
import { deleteSessionsOfUser } from '../../db/repositories/sessions.ts';
import { countRecentFailures, forgetFailures, recordSignInAttempt } from '../../db/repositories/sign-in-attempts.ts';
import { insertSignInLink, useResetLinksOfUser, useSignInLink } from '../../db/repositories/sign-in-links.ts';
import { findUser, findUserByEmail, updateUserPassword, type UserRecord } from '../../db/repositories/users.ts';
import { createDeliveries } from '../alerts/create-deliveries.ts';
import { openSignInLink, requireUsableLink, UnusableLinkError } from './open-sign-in-link.ts';
import { hashPassword } from './passwords.ts';
import { checkNewPassword } from './person-details.ts';
import { SIGN_IN_WINDOW_SECONDS, type SignInLimits } from './sign-in.ts';
import type { SignInLinkKey } from './sign-in-link-token.ts';

export type ResetRequestOutcome =
  /** The same for an address with an account and one without: nobody learns who has one. */
  | { kind: 'accepted'; deliveryIds: string[] }
  | { kind: 'too_many_attempts'; retryAfterSeconds: number };

/**
 * Someone asks for a reset link. Requests count as attempts at getting in, under the
 * sign-in limits per email and per address, so the form can neither flood an inbox
 * nor be used to guess which addresses have accounts faster than sign-in could.
 * A link (and its email, in the same transaction) is made only for a known address.
 */
export async function requestPasswordReset(
  db: Db,
  request: { email: string; address: string },
  limits: Pick<SignInLimits, 'failuresPerEmail' | 'failuresPerAddress'> & { resetMinutes: number },
): Promise<ResetRequestOutcome> {
  const email = request.email.trim().slice(0, 320);
  const failures = await countRecentFailures(db, email, request.address, SIGN_IN_WINDOW_SECONDS);
  if (failures.email >= limits.failuresPerEmail || failures.address >= limits.failuresPerAddress) {
    return { kind: 'too_many_attempts', retryAfterSeconds: SIGN_IN_WINDOW_SECONDS };
  }
  await recordSignInAttempt(db, { email, address: request.address, succeeded: false });
  const user = email === '' ? undefined : await findUserByEmail(db, email);
  if (user === undefined) return { kind: 'accepted', deliveryIds: [] };
  const deliveryIds = await db.transaction().execute(async (tx) => {
    const link = await insertSignInLink(tx, {
      accountId: user.accountId,
      purpose: 'password_reset',
      email: user.email,
      role: null,
      businessIds: null,
      userId: user.id,
      createdBy: user.email,
      expiresAt: new Date(Date.now() + limits.resetMinutes * 60_000),
    });
    return createDeliveries(tx, { kind: 'password_reset', accountId: user.accountId, signInLinkId: link.id, email: user.email });
  });
  return { kind: 'accepted', deliveryIds };
}

/**
 * Sets a new password through a reset link: the link (and any other reset link of the
 * person) is used up and every session of the person ends, so whoever knew the old
 * password is out everywhere. The person then signs in with the new one.
 */
export async function resetPassword(db: Db, key: SignInLinkKey, token: string, answer: { password: string; confirm: string }): Promise<UserRecord> {
  const link = await requireUsableLink(db, key, 'password_reset', token);
  checkNewPassword(answer.password, answer.confirm, link.email);
  const passwordHash = await hashPassword(answer.password);
  return db.transaction().execute(async (tx) => {
    const used = await useSignInLink(tx, link.id);
    // A removed person's links are gone with them (cascade), so a used-up link is the only way to miss here.
    const user = used?.userId ? await findUser(tx, used.accountId, used.userId) : undefined;
    if (user === undefined) {
      const now = await openSignInLink(tx, key, 'password_reset', token);
      throw new UnusableLinkError(now.kind === 'usable' ? { kind: 'used', link } : now);
    }
    await updateUserPassword(tx, user.id, passwordHash);
    await useResetLinksOfUser(tx, user.id);
    await deleteSessionsOfUser(tx, user.id);
    await forgetFailures(tx, user.email);
    return user;
  });
}
