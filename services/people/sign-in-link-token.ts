import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SignInLinkPurpose } from '../../db/schema.ts';

/**
 * The key that signs one-time sign-in links, derived from the instance's credentials
 * key (so the API, the workers and the CLI all hold it, and only they do).
 */
export type SignInLinkKey = Buffer & { readonly __signInLinkKey: true };

export function deriveSignInLinkKey(credentialsKey: Buffer): SignInLinkKey {
  return Buffer.from(hkdfSync('sha256', credentialsKey, 'earshot', 'earshot sign-in links v1', 32)) as SignInLinkKey;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signature(key: SignInLinkKey, purpose: SignInLinkPurpose, linkId: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}:${linkId}`).digest();
}

/**
 * The token in a link's URL: `<link id>.<HMAC of purpose and id>`. Nothing secret is
 * stored, so the email can be rendered again at send time, and a copy of the database
 * alone cannot forge a link; the purpose is signed in, so an invitation's token does
 * not reset a password.
 */
export function signInLinkToken(key: SignInLinkKey, purpose: SignInLinkPurpose, linkId: string): string {
  return `${linkId}.${signature(key, purpose, linkId).toString('base64url')}`;
}

/** The link id a token stands for, when Earshot signed it for this purpose; undefined otherwise. */
export function linkIdOfToken(key: SignInLinkKey, purpose: SignInLinkPurpose, token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot === -1 || token.length > 200) return undefined;
  const linkId = token.slice(0, dot).toLowerCase();
  if (!UUID.test(linkId)) return undefined;
  const sent = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = signature(key, purpose, linkId);
  return sent.length === expected.length && timingSafeEqual(sent, expected) ? linkId : undefined;
}

/** What it takes to write a link: the signing key and the address people reach Earshot at. */
export interface SignInLinkSettings {
  key: SignInLinkKey;
  publicUrl: string;
}

/** Where a link leads: the page that accepts an invitation or sets a new password. */
export function signInLinkUrl(settings: SignInLinkSettings, purpose: SignInLinkPurpose, linkId: string): string {
  const page = purpose === 'invitation' ? 'invitations' : 'reset-password';
  return `${settings.publicUrl}/${page}/${signInLinkToken(settings.key, purpose, linkId)}`;
}
