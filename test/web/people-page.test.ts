import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveSignInLinkKey, signInLinkToken } from '../../services/people/sign-in-link-token.ts';
import { addKey, createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, cookiesFrom, csrfOf, formEncode, signInWithForm, TEST_PASSWORD, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let owner: WebSession;

const notice = (body: string) => /<p class="notice (?:ok|problem)"[^>]*>([^<]*)</.exec(body)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"');

beforeAll(async () => {
  h = await createApiHarness();
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
  owner = await signInWithForm(h, 'olive@bistro.test');
});
afterAll(() => h.close());

/** A form for people not signed in: its pre-session cookie and token. */
async function publicForm(url: string): Promise<{ cookie: string; csrf: string; body: string; status: number }> {
  const page = await h.app.inject({ method: 'GET', url });
  return { cookie: cookiesFrom(page), csrf: page.statusCode === 200 ? csrfOf(page.body) : '', body: page.body, status: page.statusCode };
}

function postPublic(url: string, form: { cookie: string; csrf: string }, fields: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
    payload: formEncode({ _csrf: form.csrf, ...fields }),
  });
}

async function latestLinkTo(email: string, purpose: 'invitation' | 'password_reset'): Promise<string> {
  const link = await h.db.selectFrom('sign_in_links').select('id').where('email', '=', email).where('purpose', '=', purpose).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return signInLinkToken(deriveSignInLinkKey(h.credentialsKey), purpose, link.id);
}

describe('People & keys', () => {
  test('is for owners: staff and consultants get the 403 page', async () => {
    const page = await owner.get('/people');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>People &amp; keys</h1>');
    expect(page.body).toContain('olive@bistro.test');
    expect(page.body).toContain('Alice owner');
    for (const role of ['staff', 'consultant'] as const) {
      await addPerson(h.db, h.tenant.accountId, { email: `${role}-403@bistro.test`, role });
      const session = await signInWithForm(h, `${role}-403@bistro.test`);
      expect((await session.get('/people')).statusCode).toBe(403);
      expect((await session.post('/people/invite', { email: 'x@y.test', role: 'owner' })).statusCode).toBe(403);
    }
  });

  test('inviting lists the invitation and queues its email; a bad address comes back with the values kept', async () => {
    const bad = await owner.post('/people/invite', { email: 'not-an-address', role: 'consultant', businessIds: h.tenant.businessId });
    expect(bad.statusCode).toBe(400);
    expect(notice(bad.body)).toBe('Email: "not-an-address" is not an email address.');
    expect(bad.body).toMatch(/id="invite-email" name="email" type="email" value="not-an-address"[^>]*aria-invalid="true"/);
    expect(bad.body).toMatch(new RegExp(`id="invite-scope-${h.tenant.businessId}"[^>]*checked`));

    const sent = await owner.post('/people/invite', { email: 'casey@bistro.test', role: 'staff', businessIds: h.tenant.businessId });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/people?done=invited');
    const page = await owner.get('/people?done=invited');
    expect(notice(page.body)).toContain('Invitation sent');
    expect(page.body).toContain('casey@bistro.test');
    expect(page.body).toContain(`/invitations/${await latestLinkTo('casey@bistro.test', 'invitation')}`);
    const delivery = await h.db.selectFrom('alert_deliveries').select(['kind', 'recipient']).where('recipient', '=', 'casey@bistro.test').executeTakeFirstOrThrow();
    expect(delivery.kind).toBe('invitation');

    const again = await owner.post('/people/invite', { email: 'OLIVE@bistro.test', role: 'staff' });
    expect(again.statusCode).toBe(409);
    expect(notice(again.body)).toContain('already a member of an account');
  });

  test('an invitation is accepted once, signs the person in, and then says whom to ask', async () => {
    await owner.post('/people/invite', { email: 'dana@bistro.test', role: 'staff' });
    const token = await latestLinkTo('dana@bistro.test', 'invitation');
    const form = await publicForm(`/invitations/${token}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('Olive invited you as a member of staff');
    const mismatch = await postPublic(`/invitations/${token}`, form, { displayName: 'Dana', password: 'a long enough password', confirm: 'another one' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('value="Dana"');
    const accepted = await postPublic(`/invitations/${token}`, form, { displayName: 'Dana', password: 'a long enough password', confirm: 'a long enough password' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/');
    const inbox = await h.app.inject({ method: 'GET', url: '/account', headers: { cookie: cookiesFrom(accepted, form.cookie) } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('dana@bistro.test');

    const used = await publicForm(`/invitations/${token}`);
    expect(used.status).toBe(410);
    expect(used.body).toContain('This invitation was already used: ask Olive for a new one.');
    expect((await publicForm(`/invitations/${token.slice(0, -3)}xyz`)).status).toBe(404);
  });

  test('changing access and removing a person; the removed person is signed out at once', async () => {
    const sam = await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' });
    const samSession = await signInWithForm(h, 'sam@bistro.test');
    const changed = await owner.post(`/people/${sam.id}/access`, { role: 'consultant', businessIds: h.tenant.businessId });
    expect(changed.headers.location).toBe('/people?done=access-changed');
    expect((await samSession.get('/people')).statusCode).toBe(403);
    const removed = await owner.post(`/people/${sam.id}/remove`, {});
    expect(removed.headers.location).toBe('/people?done=removed');
    const after = await samSession.get('/account');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/sign-in\?next=/);
  });

  test('the last owner of all businesses cannot be removed or demoted, and the page says why', async () => {
    const olive = await h.db.selectFrom('users').select('id').where('email', '=', 'olive@bistro.test').executeTakeFirstOrThrow();
    const removed = await owner.post(`/people/${olive.id}/remove`, {});
    expect(removed.statusCode).toBe(409);
    expect(notice(removed.body)).toBe("Olive is the account's last owner of all businesses and cannot be removed: make someone else an owner of all businesses first.");
    const demoted = await owner.post(`/people/${olive.id}/access`, { role: 'staff' });
    expect(demoted.statusCode).toBe(409);
  });

  test("another account's person is a 404 page, and an owner limited to some businesses changes nothing", async () => {
    const theirs = await addPerson(h.db, h.stranger.accountId, { email: 'mallory@elsewhere.test', role: 'staff' });
    expect((await owner.post(`/people/${theirs.id}/remove`, {})).statusCode).toBe(404);
    expect((await owner.post('/people/not-a-uuid/remove', {})).statusCode).toBe(404);
    await addPerson(h.db, h.tenant.accountId, { email: 'limited@bistro.test', role: 'owner', businessIds: [h.tenant.businessId] });
    const limited = await signInWithForm(h, 'limited@bistro.test');
    const page = await limited.get('/people');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('action="/people/invite"');
    expect((await limited.post('/people/invite', { email: 'z@bistro.test', role: 'owner' })).statusCode).toBe(403);
    expect((await limited.post('/people/keys', { name: 'Mine', role: 'owner' })).statusCode).toBe(403);
  });

  test('a key is created with its secret shown once and works on the API; the last owner key cannot be revoked', async () => {
    const blank = await owner.post('/people/keys', { name: '  ', role: 'consultant' });
    expect(blank.statusCode).toBe(400);
    expect(notice(blank.body)).toBe('Name: it must not be blank.');
    const created = await owner.post('/people/keys', { name: 'Agency reports', role: 'consultant', businessIds: h.tenant.businessId });
    expect(created.statusCode).toBe(201);
    const secret = /id="new-key" type="text" readonly value="(esk_[^"]+)"/.exec(created.body)?.[1] ?? '';
    const api = await h.call({ method: 'GET', url: '/v1/businesses', key: secret });
    expect(api.statusCode).toBe(200);
    expect(api.json().businesses.map((b: { id: string }) => b.id)).toEqual([h.tenant.businessId]);
    expect((await owner.get('/people')).body).not.toContain(secret);

    const key = await h.db.selectFrom('api_keys').select('id').where('name', '=', 'Agency reports').executeTakeFirstOrThrow();
    expect((await owner.post(`/people/keys/${key.id}/revoke`, {})).headers.location).toBe('/people?done=key-revoked');
    expect((await h.call({ method: 'GET', url: '/v1/businesses', key: secret })).statusCode).toBe(401);
    const last = await owner.post(`/people/keys/${h.tenant.keyId}/revoke`, {});
    expect(last.statusCode).toBe(409);
    expect(notice(last.body)).toContain("last owner key for all businesses");
    const { id: strangerKey } = await addKey(h.db, h.stranger.accountId, 'staff');
    expect((await owner.post(`/people/keys/${strangerKey}/revoke`, {})).statusCode).toBe(404);
  });
});

describe('password reset pages', () => {
  test('the same answer for any address; the link sets a new password and ends every session', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'reset@bistro.test', role: 'staff' });
    const signedIn = await signInWithForm(h, 'reset@bistro.test');
    const form = await publicForm('/reset-password');
    for (const email of ['reset@bistro.test', 'nobody@bistro.test']) {
      const asked = await postPublic('/reset-password', form, { email });
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe('/sign-in?done=reset-sent');
    }
    const token = await latestLinkTo('reset@bistro.test', 'password_reset');
    const choose = await publicForm(`/reset-password/${token}`);
    expect(choose.body).toContain('For <strong>reset@bistro.test</strong>');
    const done = await postPublic(`/reset-password/${token}`, choose, { password: 'my new long password', confirm: 'my new long password' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/sign-in?done=password-set');
    expect((await signedIn.get('/account')).statusCode).toBe(303);
    await signInWithForm(h, 'reset@bistro.test', 'my new long password');
    const reused = await publicForm(`/reset-password/${token}`);
    expect(reused.status).toBe(410);
    expect(reused.body).toContain('This password reset link was already used');
  });
});

describe('your account', () => {
  test('rename, change the password (signing other browsers out), and sign out everywhere', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'pat@bistro.test', role: 'consultant' });
    const here = await signInWithForm(h, 'pat@bistro.test');
    const elsewhere = await signInWithForm(h, 'pat@bistro.test');
    const page = await here.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a class="who" href="/account"');

    expect((await here.post('/account/name', { displayName: '  Pat   Jones ' })).headers.location).toBe('/account?done=renamed');
    expect((await here.get('/account')).body).toContain('value="Pat Jones"');

    const wrong = await here.post('/account/password', { current: 'not my password', password: 'a fresh long password', confirm: 'a fresh long password' });
    expect(wrong.statusCode).toBe(400);
    expect(notice(wrong.body)).toBe('Current password: that is not your current password.');
    const changed = await here.post('/account/password', { current: TEST_PASSWORD, password: 'a fresh long password', confirm: 'a fresh long password' });
    expect(changed.headers.location).toBe('/account?done=password-changed');
    expect((await here.get('/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/account')).statusCode).toBe(303);

    const other = await signInWithForm(h, 'pat@bistro.test', 'a fresh long password');
    const out = await here.post('/sign-out-everywhere', {});
    expect(out.headers.location).toBe('/sign-in?done=signed-out');
    expect((await here.get('/account')).statusCode).toBe(303);
    expect((await other.get('/account')).statusCode).toBe(303);
  });
});
