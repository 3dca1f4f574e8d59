import type { Db } from '../../db/database.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import { insertSignInLink, useSignInLink, type SignInLinkRecord } from '../../db/repositories/sign-in-links.ts';
import { findUserByEmail, insertUser, type UserRecord } from '../../db/repositories/users.ts';
import type { Role } from '../../db/schema.ts';
import { createDeliveries } from '../alerts/create-deliveries.ts';
import { checkBusinessScope } from './business-scope.ts';
import { openSignInLink, requireUsableLink, UnusableLinkError } from './open-sign-in-link.ts';
import { hashPassword } from './passwords.ts';
import { PeopleRefusal } from './people-refusal.ts';
import { checkNewPassword, cleanDisplayName, cleanEmail, isTakenEmail } from './person-details.ts';
import { startSession, type SessionLimits } from './sessions.ts';
import { signInLinkUrl, type SignInLinkKey, type SignInLinkSettings } from './sign-in-link-token.ts';

export interface NewInvitation {
  accountId: string;
  email: string;
  role: Role;
  /** The businesses the person will be limited to; none or empty: every business. */
  businessIds?: readonly string[] | null;
  /** Named in the email and on the page when the link no longer works. */
  invitedBy: string;
  expiresAt: Date;
}

export interface SentInvitation {
  link: SignInLinkRecord;
  url: string;
  /** The email carrying the link, pending in the outbox: queue it, or the reconciler will. */
  deliveryIds: string[];
}

/** Everyone signs in with one email in one account: an address already in use cannot be invited. */
function alreadyMember(email: string): PeopleRefusal {
  return new PeopleRefusal(`Email: ${email} is already a member of an account; each address signs in to one account.`, { field: 'email', conflict: true });
}

/**
 * Invites a person into an account: the one-time link and the email that carries it
 * are written in one transaction, so an invitation on record is an invitation sent.
 */
export async function invitePerson(db: Db, invitation: NewInvitation, links: SignInLinkSettings): Promise<SentInvitation> {
  if (!db.isTransaction) return db.transaction().execute((tx) => invitePerson(tx, invitation, links));
  const email = cleanEmail(invitation.email);
  if ((await findUserByEmail(db, email)) !== undefined) throw alreadyMember(email);
  const scope = await checkBusinessScope(db, invitation.accountId, invitation.businessIds);
  if (scope.kind === 'not_in_account') throw new PeopleRefusal('Businesses: one of them is not a business of this account.', { field: 'businessIds' });
  const link = await insertSignInLink(db, {
    accountId: invitation.accountId,
    purpose: 'invitation',
    email,
    role: invitation.role,
    businessIds: scope.businessIds,
    userId: null,
    createdBy: invitation.invitedBy,
    expiresAt: invitation.expiresAt,
  });
  const deliveryIds = await createDeliveries(db, { kind: 'invitation', accountId: link.accountId, signInLinkId: link.id, email });
  return { link, url: signInLinkUrl(links, 'invitation', link.id), deliveryIds };
}

/**
 * The first owner's invitation, made on the very first start and shown on the console
 * only: it names no email (nobody is known yet), so the person types theirs in when
 * they accept it.
 */
export async function inviteFirstOwner(db: Db, accountId: string, links: SignInLinkSettings, expiresAt: Date): Promise<string> {
  const link = await insertSignInLink(db, {
    accountId,
    purpose: 'invitation',
    email: '',
    role: 'owner',
    businessIds: null,
    userId: null,
    createdBy: 'the person who installed Earshot',
    expiresAt,
  });
  return signInLinkUrl(links, 'invitation', link.id);
}

export interface Acceptance {
  /** Read only when the invitation names no email (the first owner's). */
  email: string;
  displayName: string;
  password: string;
  confirm: string;
}

/**
 * Accepts an invitation: the person is created, the link used up and a session started,
 * in one transaction. Two accepts of one link at the same moment make one person; the
 * other finds the link used.
 */
export async function acceptInvitation(
  db: Db,
  key: SignInLinkKey,
  token: string,
  answer: Acceptance,
  session: { limits: SessionLimits; userAgent: string | null },
): Promise<{ sessionToken: string; user: UserRecord }> {
  const link = await requireUsableLink(db, key, 'invitation', token);
  const email = link.email === '' ? cleanEmail(answer.email) : link.email;
  const displayName = cleanDisplayName(answer.displayName);
  checkNewPassword(answer.password, answer.confirm, email);
  if ((await findUserByEmail(db, email)) !== undefined) throw alreadyMember(email);
  const passwordHash = await hashPassword(answer.password);
  return db.transaction().execute(async (tx) => {
    const used = await useSignInLink(tx, link.id);
    if (used === undefined) {
      const now = await openSignInLink(tx, key, 'invitation', token);
      throw new UnusableLinkError(now.kind === 'usable' ? { kind: 'used', link } : now);
    }
    // A business deleted since the invitation is simply no longer in the scope.
    const businessIds = used.businessIds === null ? null : (await listBusinesses(tx, { accountId: used.accountId, businessIds: used.businessIds })).map((b) => b.id);
    const user = await insertUser(tx, { accountId: used.accountId, email, displayName, passwordHash, role: used.role ?? 'staff', businessIds }).catch((error: unknown) => {
      throw isTakenEmail(error) ? alreadyMember(email) : error;
    });
    const sessionToken = await startSession(tx, user, session.limits, session.userAgent);
    return { sessionToken, user };
  });
}
