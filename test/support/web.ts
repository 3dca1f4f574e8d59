import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../db/database.ts';
import { insertUser, type UserRecord } from '../../db/repositories/users.ts';
import type { Role } from '../../db/schema.ts';
import { hashPassword } from '../../services/people/passwords.ts';
import type { ApiHarness } from './api.ts';

/** The one password every test person has: hashing it once keeps tests fast (scrypt costs ~0.3 s). */
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

/** A person of the account, made through the repository, who can sign in with TEST_PASSWORD. */
export async function addPerson(
  db: Db,
  accountId: string,
  options: { email: string; role: Role; displayName?: string | null; businessIds?: string[] | null },
): Promise<UserRecord> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return insertUser(db, {
    accountId,
    email: options.email,
    displayName: options.displayName === undefined ? null : options.displayName,
    passwordHash: await testPasswordHash,
    role: options.role,
    businessIds: options.businessIds ?? null,
  });
}

/** Cookies a response set, as a Cookie header value to send back. */
export function cookiesFrom(response: LightMyRequestResponse, earlier = ''): string {
  const jar = new Map<string, string>();
  for (const part of earlier.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  const set = response.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = line.split(';');
    const [name, ...rest] = (pair ?? '').split('=');
    if (!name) continue;
    if (/Max-Age=0/i.test(line)) jar.delete(name);
    else jar.set(name, rest.join('='));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The hidden CSRF field's value in a page. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('the page has no form token');
  return match[1];
}

/** A browser-like session for inject(): signs in through the form and keeps its cookies. */
export interface WebSession {
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, fields: Record<string, string | string[]>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export function formEncode(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  return params.toString();
}

export async function signInWithForm(h: Pick<ApiHarness, 'app'>, email: string, password = TEST_PASSWORD): Promise<WebSession> {
  const form = await h.app.inject({ method: 'GET', url: '/sign-in' });
  let cookie = cookiesFrom(form);
  const signedIn = await h.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
    payload: formEncode({ _csrf: csrfOf(form.body), email, password, next: '/' }),
  });
  if (signedIn.statusCode !== 303) throw new Error(`sign-in failed: ${signedIn.statusCode} ${signedIn.body.slice(0, 300)}`);
  cookie = cookiesFrom(signedIn, cookie);
  const session: WebSession = {
    cookie,
    csrf: '',
    get: (url) => h.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } }),
    post: (url, fields, headers = {}) =>
      h.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80', ...headers },
        payload: formEncode({ _csrf: session.csrf, ...fields }),
      }),
  };
  // Every signed-in page carries the session's token in its sign-out form.
  const home = await session.get('/');
  session.csrf = csrfOf(home.body);
  return session;
}
