import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteEndedSessions } from '../../db/repositories/sessions.ts';
import { personOfSession, startSession } from '../../services/people/sessions.ts';
import { buildApp } from '../../services/api/app.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let userId: string;
const limits = { idleHours: 12, maxDays: 30 };

beforeAll(async () => {
  h = await createApiHarness();
  userId = (await addPerson(h.db, h.tenant.accountId, { email: 'kim@bistro.test', role: 'staff', displayName: null })).id;
});
afterAll(() => h.close());

async function sessionRow(token: string) {
  const person = await personOfSession(h.db, token, limits);
  return person && h.db.selectFrom('sessions').selectAll().where('id', '=', person.sessionId).executeTakeFirstOrThrow();
}

describe('sessions', () => {
  test('a session stands for its person, named by email when they have no display name', async () => {
    const token = await startSession(h.db, { id: userId, accountId: h.tenant.accountId }, limits, 'test-agent');
    const person = await personOfSession(h.db, token, limits);
    expect(person).toMatchObject({ userId, accountId: h.tenant.accountId, role: 'staff', businessIds: null, actor: 'kim@bistro.test' });
    // Only the token's hash is stored.
    const row = await sessionRow(token);
    expect(row?.token_hash).not.toContain(token);
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await personOfSession(h.db, `${token}x`, limits)).toBeUndefined();
  });

  test('a session unused for longer than the idle limit has ended', async () => {
    const token = await startSession(h.db, { id: userId, accountId: h.tenant.accountId }, limits, null);
    await h.db.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '11 hours 59 minutes'` }).where('user_id', '=', userId).execute();
    const alive = await personOfSession(h.db, token, limits);
    expect(alive).toBeDefined();
    // Being used moves its idle end on.
    const row = await h.db.selectFrom('sessions').select('last_seen_at').where('id', '=', alive!.sessionId).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);
    await h.db.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '12 hours 1 minute'` }).where('id', '=', alive!.sessionId).execute();
    expect(await personOfSession(h.db, token, limits)).toBeUndefined();
  });

  test('a session past its absolute end has ended, however busy', async () => {
    const token = await startSession(h.db, { id: userId, accountId: h.tenant.accountId }, limits, null);
    const person = await personOfSession(h.db, token, limits);
    const row = await h.db.selectFrom('sessions').select('expires_at').where('id', '=', person!.sessionId).executeTakeFirstOrThrow();
    expect(Math.abs(row.expires_at.getTime() - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    await h.db.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', person!.sessionId).execute();
    expect(await personOfSession(h.db, token, limits)).toBeUndefined();
  });

  test('ended sessions are removed by housekeeping; live ones stay', async () => {
    const live = await startSession(h.db, { id: userId, accountId: h.tenant.accountId }, limits, null);
    await startSession(h.db, { id: userId, accountId: h.tenant.accountId }, limits, null);
    await h.db.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('token_hash', '!=', (await sessionRow(live))!.token_hash).execute();
    expect(await deleteEndedSessions(h.db, limits.idleHours * 3600)).toBeGreaterThan(0);
    expect(await h.db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    expect(await personOfSession(h.db, live, limits)).toBeDefined();
  });

  test('an ended session sends the browser to sign in and clears its cookie', async () => {
    const web = await signInWithForm(h, 'kim@bistro.test');
    await h.db.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).execute();
    const response = await web.get('/');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2F');
    expect(String(response.headers['set-cookie'])).toContain('earshot_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });

  test('with an https PUBLIC_URL the session cookie is Secure', async () => {
    const app = await buildApp({ db: h.db, queues: h.queues, config: { ...h.config, publicUrl: 'https://reviews.bistro.test' }, credentialsKey: h.credentialsKey, logger: false });
    try {
      const secureHarness = { app };
      const form = await app.inject({ method: 'GET', url: '/sign-in' });
      expect(String(form.headers['set-cookie'])).toContain('; Secure');
      await expect(signInWithForm(secureHarness, 'kim@bistro.test').then((session) => session.cookie)).resolves.toContain('earshot_session=');
      const signIn = await app.inject({ method: 'GET', url: '/sign-in' });
      expect(String(signIn.headers['set-cookie'])).toMatch(/earshot_form=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure/);
    } finally {
      await app.close();
    }
  });
});
