import type { Db } from '../../db/database.ts';
import { findSignInLink, type SignInLinkRecord } from '../../db/repositories/sign-in-links.ts';
import type { SignInLinkPurpose } from '../../db/schema.ts';
import { linkIdOfToken, type SignInLinkKey } from './sign-in-link-token.ts';

/** What a link in someone's hands is worth right now. */
export type LinkState =
  | { kind: 'usable'; link: SignInLinkRecord }
  /** Not signed by this Earshot, for this purpose, or its row is gone: nothing to say about it. */
  | { kind: 'unknown' }
  | { kind: 'used'; link: SignInLinkRecord }
  | { kind: 'expired'; link: SignInLinkRecord };

/** A link that can no longer be used; the page says why and whom to ask. */
export class UnusableLinkError extends Error {
  readonly state: Exclude<LinkState, { kind: 'usable' }>;
  constructor(state: Exclude<LinkState, { kind: 'usable' }>) {
    super(`sign-in link ${state.kind}`);
    this.name = 'UnusableLinkError';
    this.state = state;
  }
}

/** Checks the token's signature before anything is read, then the link's row. */
export async function openSignInLink(db: Db, key: SignInLinkKey, purpose: SignInLinkPurpose, token: string): Promise<LinkState> {
  const linkId = linkIdOfToken(key, purpose, token);
  const link = linkId === undefined ? undefined : await findSignInLink(db, linkId);
  if (link === undefined || link.purpose !== purpose) return { kind: 'unknown' };
  if (link.usedAt !== null) return { kind: 'used', link };
  if (link.expiresAt.getTime() <= Date.now()) return { kind: 'expired', link };
  return { kind: 'usable', link };
}

/** The link, or UnusableLinkError. */
export async function requireUsableLink(db: Db, key: SignInLinkKey, purpose: SignInLinkPurpose, token: string): Promise<SignInLinkRecord> {
  const state = await openSignInLink(db, key, purpose, token);
  if (state.kind !== 'usable') throw new UnusableLinkError(state);
  return state.link;
}

/** Why a link does not work, in words for the person holding it. */
export function linkProblem(state: Exclude<LinkState, { kind: 'usable' }>): { title: string; message: string } {
  if (state.kind === 'unknown') {
    return { title: 'This link does not work', message: 'Check that you opened the whole link from the email; it may also have been withdrawn.' };
  }
  const invitation = state.link.purpose === 'invitation';
  const what = invitation ? 'This invitation' : 'This password reset link';
  const done = state.kind === 'used' ? 'was already used' : 'has expired';
  const next = invitation ? `ask ${state.link.createdBy} for a new one.` : 'ask for a new one on the sign-in page ("Forgot your password?").';
  return { title: `${what} ${done}`, message: `${what} ${done}: ${next}` };
}
