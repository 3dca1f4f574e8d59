import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addKey, createApiHarness } from '../support/api.ts';
import { addPerson, csrfOf, signInWithForm, type WebSession } from '../support/web.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-quiet-pages-'));
const h = await createApiHarness({ config: { dataDir } });

let owner: WebSession;
let staff: WebSession;
let ownerKey: string;

beforeAll(async () => {
  await addPerson(h.db, h.tenant.accountId, { email: 'owner@quiet.test', role: 'owner' });
  await addPerson(h.db, h.tenant.accountId, { email: 'staff@quiet.test', role: 'staff' });
  owner = await signInWithForm(h, 'owner@quiet.test');
  staff = await signInWithForm(h, 'staff@quiet.test');
  ownerKey = (await addKey(h.db, h.tenant.accountId, 'owner')).key;
});
afterAll(async () => {
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

const storedQuietHours = async (email: string) => (await h.db.selectFrom('users').select('quiet_hours').where('email', '=', email).executeTakeFirstOrThrow()).quiet_hours;

describe('your own quiet hours, on "Your account"', () => {
  test('the page offers them and says the times are in each business\'s time zone', async () => {
    const page = await staff.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Quiet hours');
    expect(page.body).toMatch(/The times are in each business(&#39;|&#x27;|')s time zone/);
    expect(page.body).toMatch(/<input type="time" id="quiet-from" name="quietHours.from" value=""/);
  });

  test('anyone signs their own quiet hours in, sees them again, and clears them by leaving both empty', async () => {
    const saved = await staff.post('/account/quiet-hours', { 'quietHours.from': '22:00', 'quietHours.to': '07:00' });
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(303);
    expect(saved.headers.location).toBe('/account?done=quiet-hours-saved');
    expect(await storedQuietHours('staff@quiet.test')).toEqual({ from: '22:00', to: '07:00' });
    expect(await storedQuietHours('owner@quiet.test')).toBeNull();
    const page = await staff.get(saved.headers.location as string);
    expect(page.body).toContain('Your quiet hours are saved.');
    expect(page.body).toContain('value="22:00"');
    expect(page.body).toContain('value="07:00"');

    const cleared = await staff.post('/account/quiet-hours', { 'quietHours.from': '', 'quietHours.to': '' });
    expect(cleared.headers.location).toBe('/account?done=quiet-hours-cleared');
    expect(await storedQuietHours('staff@quiet.test')).toBeNull();
  });

  test('a refused time is shown beside its field in the words of the rule, the typed values kept, nothing saved', async () => {
    await owner.post('/account/quiet-hours', { 'quietHours.from': '23:00', 'quietHours.to': '06:00' });
    const refused = await owner.post('/account/quiet-hours', { 'quietHours.from': '21:00', 'quietHours.to': '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Quiet until: must be a time &quot;HH:MM&quot; between 00:00 and 23:59');
    expect(refused.body).toMatch(/name="quietHours\.to" value=""[^>]*aria-invalid="true"/);
    expect(refused.body).toContain('value="21:00"');
    const same = await owner.post('/account/quiet-hours', { 'quietHours.from': '21:00', 'quietHours.to': '21:00' });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('Quiet until: must differ from');
    expect(await storedQuietHours('owner@quiet.test')).toEqual({ from: '23:00', to: '06:00' });
  });
});

describe("a channel's quiet hours, on its form", () => {
  const apiChannel = async (id: string) => (await h.app.inject({ method: 'GET', url: `/v1/channels/${id}`, headers: { authorization: `Bearer ${ownerKey}` } })).json();

  test('set when adding, shown on edit, cleared by leaving both empty', async () => {
    const form = await owner.get('/alerts/channels/new?type=email');
    expect(form.body).toContain('name="quietHours.from"');
    expect(form.body).toContain('the time zone of the business each alert is about');
    const added = await owner.post('/alerts/channels', { type: 'email', name: 'Night list', 'config.to': 'night@quiet.test', 'quietHours.from': '22:30', 'quietHours.to': '06:00' });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(303);
    const id = /#channel-([0-9a-f-]{36})/.exec(added.headers.location as string)?.[1] as string;
    expect((await apiChannel(id)).quietHours).toEqual({ from: '22:30', to: '06:00' });
    const listed = await owner.get('/alerts');
    expect(listed.body).toMatch(/Quiet 22:30–06:00 \(each business(&#39;|&#x27;|')s time\); urgent alerts still go./);

    const edit = await owner.get(`/alerts/channels/${id}`);
    expect(edit.body).toContain('value="22:30"');
    expect(edit.body).toContain('value="06:00"');
    const cleared = await owner.post(`/alerts/channels/${id}`, { name: 'Night list', 'config.to': 'night@quiet.test', 'quietHours.from': '', 'quietHours.to': '' });
    expect(cleared.statusCode, cleared.body.slice(0, 300)).toBe(303);
    expect((await apiChannel(id)).quietHours).toBeNull();
    expect((await owner.get('/alerts')).body).not.toContain('Quiet 22:30');
  });

  test('a refused time re-renders the form naming the field, with what was typed', async () => {
    const refused = await owner.post('/alerts/channels', { type: 'email', name: 'Late list', 'config.to': 'late@quiet.test', 'quietHours.from': '', 'quietHours.to': '07:00' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Quiet from: must be a time &quot;HH:MM&quot;');
    expect(refused.body).toMatch(/name="quietHours\.from" value=""[^>]*aria-invalid="true"/);
    expect(refused.body).toContain('value="07:00"');
    expect(refused.body).toContain('value="Late list"');
    const channels = (await h.app.inject({ method: 'GET', url: '/v1/channels', headers: { authorization: `Bearer ${ownerKey}` } })).json().channels;
    expect(channels.map((channel: { name: string }) => channel.name)).not.toContain('Late list');
  });
});
