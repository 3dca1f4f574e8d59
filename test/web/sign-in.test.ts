import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, cookiesFrom, csrfOf, formEncode, TEST_PASSWORD } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };

beforeAll(async () => {
  h = await createApiHarness({ config: { signInFailuresPerEmail: 3 } });
  await addPerson(h.db, h.tenant.accountId, { email: 'Sam@Bistro.test', role: 'staff', displayName: 'Sam' });
});
afterAll(() => h.close());

async function signInForm(): Promise<{ cookie: string; csrf: string }> {
  const page = await h.app.inject({ method: 'GET', url: '/sign-in?next=/items/abc' });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toContain('text/html');
  expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  return { cookie: cookiesFrom(page), csrf: csrfOf(page.body) };
}

function postSignIn(form: { cookie: string; csrf: string }, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: formEncode({ _csrf: form.csrf, ...fields }),
  });
}

describe('sign-in', () => {
  test('the right password, in any case of email, starts a session and returns to the page asked for', async () => {
    const form = await signInForm();
    const response = await postSignIn(form, { email: 'sam@bistro.TEST', password: TEST_PASSWORD, next: '/items/abc' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/items/abc');
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/earshot_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    expect(setCookie).not.toContain('Secure');
  });

  test('a wrong password and an unknown email get the same answer', async () => {
    const form = await signInForm();
    const wrongPassword = await postSignIn(form, { email: 'sam@bistro.test', password: 'not it at all', next: '/' });
    const unknownEmail = await postSignIn(form, { email: 'nobody@bistro.test', password: 'not it at all', next: '/' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    const message = (body: string) => /<p class="notice problem"[^>]*>([^<]*)</.exec(body)?.[1];
    expect(message(wrongPassword.body)).toBe('That email and password do not match an account.');
    expect(message(unknownEmail.body)).toBe(message(wrongPassword.body));
  });

  test('a next that leads off the site goes to the inbox instead', async () => {
    const form = await signInForm();
    const response = await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD, next: 'https://evil.example/phish' });
    expect(response.headers.location).toBe('/');
    const protocolRelative = await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD, next: '//evil.example/' });
    expect(protocolRelative.headers.location).toBe('/');
  });

  test('a sign-in form posted from another origin, even another port of this host, is refused', async () => {
    const form = await signInForm();
    const fromElsewhere = await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD }, { origin: 'http://localhost:8081' });
    expect(fromElsewhere.statusCode).toBe(403);
    const crossSite = await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD }, { 'sec-fetch-site': 'same-site' });
    expect(crossSite.statusCode).toBe(403);
    const withoutToken = await postSignIn({ cookie: form.cookie, csrf: '' }, { email: 'sam@bistro.test', password: TEST_PASSWORD });
    expect(withoutToken.statusCode).toBe(403);
  });

  test('after too many failures for one email, even the right password is refused for a while', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'pat@bistro.test', role: 'staff' });
    const form = await signInForm();
    for (let i = 0; i < 3; i++) expect((await postSignIn(form, { email: 'pat@bistro.test', password: 'guess number ' + i })).statusCode).toBe(401);
    const locked = await postSignIn(form, { email: 'pat@bistro.test', password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.body).toContain('Too many failed sign-ins');
    // Another person is not affected.
    expect((await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD })).statusCode).toBe(303);
  });

  test('pages need a session: a stranger is sent to sign in, and comes back after', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/sources' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Fsources');
  });

  test('signing out ends the session at once', async () => {
    const form = await signInForm();
    const signedIn = await postSignIn(form, { email: 'sam@bistro.test', password: TEST_PASSWORD, next: '/' });
    const cookie = cookiesFrom(signedIn, form.cookie);
    const session = await h.db.selectFrom('sessions').select('csrf_token').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const out = await h.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formEncode({ _csrf: session.csrf_token }),
    });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/sign-in?done=signed-out');
    const again = await h.app.inject({ method: 'POST', url: '/sign-out', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: formEncode({ _csrf: session.csrf_token }) });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toMatch(/^\/sign-in\?next=/);
  });
});
