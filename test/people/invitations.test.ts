import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveCredentialsKey } from '../../services/sources/credentials.ts';
import { acceptInvitation, inviteFirstOwner, invitePerson, type NewInvitation } from '../../services/people/invitations.ts';
import { linkProblem, openSignInLink, UnusableLinkError } from '../../services/people/open-sign-in-link.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import { deriveSignInLinkKey, signInLinkToken, type SignInLinkSettings } from '../../services/people/sign-in-link-token.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let links: SignInLinkSettings;
const session = { limits: { idleHours: 12, maxDays: 30 }, userAgent: 'test' };
const answer = { email: '', displayName: 'Robin Baker', password: 'a long enough password', confirm: 'a long enough password' };
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000);

function invitation(overrides: Partial<NewInvitation> = {}): NewInvitation {
  return { accountId: h.tenant.accountId, email: `p${Math.random().toString(36).slice(2)}@bakery.test`, role: 'staff', invitedBy: 'Alice', expiresAt: inAWeek(), ...overrides };
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

beforeAll(async () => {
  h = await createApiHarness();
  links = { key: deriveSignInLinkKey(h.credentialsKey), publicUrl: 'https://earshot.example' };
});
afterAll(() => h.close());

describe('inviting', () => {
  test('writes the link and its email delivery in one go, and the URL carries a signed token', async () => {
    const sent = await invitePerson(h.db, invitation({ email: 'Robin@Bakery.test', businessIds: [h.tenant.businessId] }), links);
    expect(sent.url).toBe(`https://earshot.example/invitations/${signInLinkToken(links.key, 'invitation', sent.link.id)}`);
    expect(sent.link).toMatchObject({ purpose: 'invitation', email: 'Robin@Bakery.test', role: 'staff', businessIds: [h.tenant.businessId], usedAt: null });
    const deliveries = await h.db.selectFrom('alert_deliveries').selectAll().where('sign_in_link_id', '=', sent.link.id).execute();
    expect(deliveries).toEqual([expect.objectContaining({ id: sent.deliveryIds[0], kind: 'invitation', recipient: 'robin@bakery.test', status: 'pending', item_id: null, source_id: null })]);
  });

  test('an address that already signs in, to any account, cannot be invited', async () => {
    await addPerson(h.db, h.stranger.accountId, { email: 'taken@elsewhere.test', role: 'owner' });
    const refused = invitePerson(h.db, invitation({ email: 'TAKEN@elsewhere.test' }), links);
    await expect(refused).rejects.toThrow(PeopleRefusal);
    await expect(refused).rejects.toThrow('already a member of an account');
  });

  test("another account's business cannot be in the scope, and nothing is written", async () => {
    const email = 'scoped@bakery.test';
    await expect(invitePerson(h.db, invitation({ email, businessIds: [h.stranger.businessId] }), links)).rejects.toThrow('not a business of this account');
    expect(await h.db.selectFrom('sign_in_links').select('id').where('email', '=', email).execute()).toEqual([]);
  });

  test('a malformed address is refused, naming the field', async () => {
    const error = await invitePerson(h.db, invitation({ email: 'not an address' }), links).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeopleRefusal);
    expect((error as PeopleRefusal).field).toBe('email');
  });
});

describe('accepting', () => {
  test('creates the person with the role and scope invited, signs them in, and uses the link up', async () => {
    const sent = await invitePerson(h.db, invitation({ role: 'consultant', businessIds: [h.tenant.businessId] }), links);
    const accepted = await acceptInvitation(h.db, links.key, tokenOf(sent.url), answer, session);
    expect(accepted.user).toMatchObject({ email: sent.link.email, displayName: 'Robin Baker', role: 'consultant', businessIds: [h.tenant.businessId] });
    expect(accepted.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await openSignInLink(h.db, links.key, 'invitation', tokenOf(sent.url))).kind).toBe('used');
    const again = await acceptInvitation(h.db, links.key, tokenOf(sent.url), answer, session).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(UnusableLinkError);
    expect((again as UnusableLinkError).state.kind).toBe('used');
  });

  test('two accepts of one link at the same moment make one person', async () => {
    const sent = await invitePerson(h.db, invitation(), links);
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => acceptInvitation(h.db, links.key, tokenOf(sent.url), answer, session)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const failed of outcomes.filter((o) => o.status === 'rejected')) {
      expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(UnusableLinkError);
    }
    const people = await h.db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', sent.link.email.toLowerCase()).execute();
    expect(people).toHaveLength(1);
    expect(await h.db.selectFrom('sessions').select('id').where('user_id', '=', people[0]!.id).execute()).toHaveLength(1);
  });

  test('an expired invitation is refused, and says whom to ask', async () => {
    const sent = await invitePerson(h.db, invitation({ invitedBy: 'Alice Owner' }), links);
    await h.db.updateTable('sign_in_links').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', sent.link.id).execute();
    const error = (await acceptInvitation(h.db, links.key, tokenOf(sent.url), answer, session).catch((e: unknown) => e)) as UnusableLinkError;
    expect(error.state.kind).toBe('expired');
    expect(linkProblem(error.state).message).toBe('This invitation has expired: ask Alice Owner for a new one.');
    expect(await h.db.selectFrom('users').select('id').where('email', '=', sent.link.email).execute()).toEqual([]);
  });

  test('a bad password keeps the link unused and names the field', async () => {
    const sent = await invitePerson(h.db, invitation(), links);
    const short = await acceptInvitation(h.db, links.key, tokenOf(sent.url), { ...answer, password: 'short', confirm: 'short' }, session).catch((e: unknown) => e);
    expect(short).toMatchObject({ field: 'password', message: 'Password: use at least 10 characters.' });
    const different = await acceptInvitation(h.db, links.key, tokenOf(sent.url), { ...answer, confirm: 'something else entirely' }, session).catch((e: unknown) => e);
    expect(different).toMatchObject({ field: 'confirm' });
    expect((await openSignInLink(h.db, links.key, 'invitation', tokenOf(sent.url))).kind).toBe('usable');
  });

  test('a link that was never signed by this Earshot opens nothing', async () => {
    const sent = await invitePerson(h.db, invitation(), links);
    const [id, signature] = tokenOf(sent.url).split('.') as [string, string];
    const tampered = `${id}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherInstance = signInLinkToken(deriveSignInLinkKey(deriveCredentialsKey('another instance secret, another key')), 'invitation', id);
    // The same id signed for the other purpose (a reset) is no invitation either.
    const otherPurpose = signInLinkToken(links.key, 'password_reset', id);
    for (const token of [tampered, otherInstance, otherPurpose, id, `${id}.`, 'nonsense', `../${id}.${signature}`]) {
      expect((await openSignInLink(h.db, links.key, 'invitation', token)).kind).toBe('unknown');
      await expect(acceptInvitation(h.db, links.key, token, answer, session)).rejects.toThrow(UnusableLinkError);
    }
    expect((await openSignInLink(h.db, links.key, 'invitation', tokenOf(sent.url))).kind).toBe('usable');
  });

  test("the first owner's link names no email: the person gives theirs", async () => {
    const url = await inviteFirstOwner(h.db, h.tenant.accountId, links, inAWeek());
    const missing = await acceptInvitation(h.db, links.key, tokenOf(url), answer, session).catch((e: unknown) => e);
    expect(missing).toMatchObject({ field: 'email' });
    const accepted = await acceptInvitation(h.db, links.key, tokenOf(url), { ...answer, email: 'first@owner.test' }, session);
    expect(accepted.user).toMatchObject({ email: 'first@owner.test', role: 'owner', businessIds: null });
  });
});
