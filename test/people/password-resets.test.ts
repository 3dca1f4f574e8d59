import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findUserForSignIn } from '../../db/repositories/users.ts';
import { openSignInLink, UnusableLinkError } from '../../services/people/open-sign-in-link.ts';
import { verifyPassword } from '../../services/people/passwords.ts';
import { requestPasswordReset, resetPassword } from '../../services/people/password-resets.ts';
import { startSession } from '../../services/people/sessions.ts';
import { deriveSignInLinkKey, signInLinkToken, type SignInLinkKey } from '../../services/people/sign-in-link-token.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let key: SignInLinkKey;
const limits = { failuresPerEmail: 3, failuresPerAddress: 100, resetMinutes: 60 };
const sessionLimits = { idleHours: 12, maxDays: 30 };
const NEW_PASSWORD = 'a brand new passphrase';

beforeAll(async () => {
  h = await createApiHarness();
  key = deriveSignInLinkKey(h.credentialsKey);
});
afterAll(() => h.close());

async function resetTokenFor(email: string, address = '10.0.0.1'): Promise<string> {
  const outcome = await requestPasswordReset(h.db, { email, address }, limits);
  expect(outcome).toMatchObject({ kind: 'accepted', deliveryIds: [expect.any(String)] });
  const delivery = await h.db
    .selectFrom('alert_deliveries')
    .select(['sign_in_link_id', 'kind', 'recipient'])
    .where('id', '=', (outcome as { deliveryIds: string[] }).deliveryIds[0]!)
    .executeTakeFirstOrThrow();
  expect(delivery).toMatchObject({ kind: 'password_reset', recipient: email.toLowerCase() });
  return signInLinkToken(key, 'password_reset', delivery.sign_in_link_id as string);
}

describe('password resets', () => {
  test('an unknown address gets the same answer, and nothing is made or sent', async () => {
    const before = await h.db.selectFrom('sign_in_links').select('id').execute();
    expect(await requestPasswordReset(h.db, { email: 'nobody@bakery.test', address: '10.0.0.2' }, limits)).toEqual({ kind: 'accepted', deliveryIds: [] });
    expect(await h.db.selectFrom('sign_in_links').select('id').execute()).toEqual(before);
  });

  test('a reset sets the password, uses the link up, and ends every session of the person', async () => {
    const person = await addPerson(h.db, h.tenant.accountId, { email: 'Kim@Bakery.test', role: 'staff' });
    const sessions = [await startSession(h.db, person, sessionLimits, 'phone'), await startSession(h.db, person, sessionLimits, 'laptop')];
    expect(sessions).toHaveLength(2);
    const token = await resetTokenFor('Kim@Bakery.test');
    const earlier = await resetTokenFor('kim@bakery.test');
    await resetPassword(h.db, key, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    const stored = await findUserForSignIn(h.db, 'kim@bakery.test');
    expect(await verifyPassword(NEW_PASSWORD, stored!.passwordHash)).toBe(true);
    expect(await h.db.selectFrom('sessions').select('id').where('user_id', '=', person.id).execute()).toEqual([]);
    // Neither this link nor any other reset link of the person works any more.
    for (const used of [token, earlier]) {
      expect((await openSignInLink(h.db, key, 'password_reset', used)).kind).toBe('used');
      await expect(resetPassword(h.db, key, used, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).rejects.toThrow(UnusableLinkError);
    }
  });

  test('a reset link expires after its minutes', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'lee@bakery.test', role: 'staff' });
    const token = await resetTokenFor('lee@bakery.test');
    const link = await h.db.selectFrom('sign_in_links').select(['id', 'expires_at', 'created_at']).where('email', '=', 'lee@bakery.test').executeTakeFirstOrThrow();
    expect(link.expires_at.getTime() - link.created_at.getTime()).toBeGreaterThan(59 * 60_000);
    expect(link.expires_at.getTime() - link.created_at.getTime()).toBeLessThan(61 * 60_000);
    await h.db.updateTable('sign_in_links').set({ expires_at: new Date(Date.now() - 1) }).where('id', '=', link.id).execute();
    const error = (await resetPassword(h.db, key, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }).catch((e: unknown) => e)) as UnusableLinkError;
    expect(error).toBeInstanceOf(UnusableLinkError);
    expect(error.state.kind).toBe('expired');
  });

  test('an invitation token does not reset a password', async () => {
    const person = await addPerson(h.db, h.tenant.accountId, { email: 'max@bakery.test', role: 'staff' });
    const token = await resetTokenFor('max@bakery.test');
    const linkId = token.split('.')[0]!;
    const asInvitation = signInLinkToken(key, 'invitation', linkId);
    expect((await openSignInLink(h.db, key, 'password_reset', asInvitation)).kind).toBe('unknown');
    expect(person.email).toBe('max@bakery.test');
  });

  test('requests are limited per address like sign-in attempts', async () => {
    for (let i = 0; i < 3; i++) expect((await requestPasswordReset(h.db, { email: 'flood@bakery.test', address: '10.0.0.9' }, limits)).kind).toBe('accepted');
    expect(await requestPasswordReset(h.db, { email: 'flood@bakery.test', address: '10.0.0.9' }, limits)).toEqual({ kind: 'too_many_attempts', retryAfterSeconds: 900 });
  });
});
