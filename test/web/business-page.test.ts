import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let owner: WebSession;

beforeAll(async () => {
  h = await createApiHarness();
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner' });
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff' });
  await addPerson(h.db, h.tenant.accountId, { email: 'cora@bistro.test', role: 'consultant' });
  owner = await signInWithForm(h, 'olive@bistro.test');
});
afterAll(() => h.close());

async function apiBusiness(id = h.tenant.businessId): Promise<Record<string, any>> {
  const response = await h.call({ method: 'GET', url: `/v1/businesses/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

function problemOf(body: string): string | undefined {
  return /<p class="notice problem"[^>]*>([^<]*)</.exec(body)?.[1];
}

/** A full settings form: what the browser sends, with every field as the page shows it. */
function settings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Alice Bistro',
    timezone: 'Europe/Paris',
    slaHours: '24',
    alertEmails: 'owner@example.com',
    'hours-mon-0-open': '09:00',
    'hours-mon-0-close': '12:30',
    'hours-mon-1-open': '14:00',
    'hours-mon-1-close': '18:00',
    'hours-sat-0-open': '18:00',
    'hours-sat-0-close': '00:00',
    digestTime: '08:00',
    digestWeekday: 'monday',
    weeklyReport: 'yes',
    ...overrides,
  };
}

describe('the Businesses pages', () => {
  test('lists the businesses with an "add a business" form, and adding one goes to its settings', async () => {
    const list = await owner.get('/businesses');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<h1>Businesses</h1>');
    expect(list.body).toContain(`href="/businesses/${h.tenant.businessId}"`);
    expect(list.body).not.toContain('Mallory');
    expect(list.body).toContain('<label for="alertEmails">Alert addresses</label>');

    const added = await owner.post('/businesses', { name: '  Corner Café ', timezone: 'America/New_York', alertEmails: 'a@example.com\nA@example.com\nb@example.com' });
    expect(added.statusCode).toBe(303);
    const id = /^\/businesses\/([0-9a-f-]{36})\?done=created$/.exec(String(added.headers.location))?.[1] as string;
    expect(await apiBusiness(id)).toMatchObject({ name: 'Corner Café', timezone: 'America/New_York', alertEmails: ['a@example.com', 'b@example.com'] });
    const page = await owner.get(`/businesses/${id}?done=created`);
    expect(page.body).toContain('Business added.');
    expect(page.body).toContain('<h1>Corner Café</h1>');
  });

  test('adding a business with a bad address keeps what was typed and names the field', async () => {
    const response = await owner.post('/businesses', { name: 'Kept Name', timezone: 'Mars/Olympus', alertEmails: 'ok@example.com' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toBe('Time zone: &quot;Mars/Olympus&quot; is not an IANA time zone (e.g. Europe/Paris)');
    expect(response.body).toContain('value="Kept Name"');
    expect(response.body).toMatch(/id="timezone"[^>]*value="Mars\/Olympus"[^>]*aria-invalid="true"/);
  });

  test('the settings page shows the business and saves every setting as PATCH does', async () => {
    const page = await owner.get(`/businesses/${h.tenant.businessId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="timezone">Time zone</label>');
    expect(page.body).toContain('<label for="slaHours">Reply within (hours)</label>');
    expect(page.body).toContain('<legend>Monday</legend>');
    expect(page.body).toMatch(/<label for="hours-mon-0-open"[^>]*>Monday row 1 opens<\/label><input type="time" id="hours-mon-0-open"/);

    const saved = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ alertEmails: 'owner@example.com\nmanager@example.com' }));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/businesses/${h.tenant.businessId}?done=saved`);
    expect(await apiBusiness()).toMatchObject({
      timezone: 'Europe/Paris',
      slaHours: 24,
      alertEmails: ['owner@example.com', 'manager@example.com'],
      openingHours: { mon: [{ open: '09:00', close: '12:30' }, { open: '14:00', close: '18:00' }], sat: [{ open: '18:00', close: '24:00' }] },
    });
    const again = await owner.get(`/businesses/${h.tenant.businessId}?done=saved`);
    expect(again.body).toContain('Settings saved.');
    expect(again.body).toMatch(/id="hours-sat-0-close" name="hours-sat-0-close" value="00:00"/);
    expect(again.body).toMatch(/id="hours-mon-1-open" name="hours-mon-1-open" value="14:00"/);
  });

  test('the digest time and day and the weekly report are shown and saved as PATCH saves them', async () => {
    const page = await owner.get(`/businesses/${h.tenant.businessId}`);
    expect(page.body).toMatch(/<input type="time" id="digestTime" name="digestTime" required value="08:00"/);
    expect(page.body).toContain('<option value="monday" selected>Monday</option>');
    expect(page.body).toMatch(/id="weeklyReport" name="weeklyReport" value="yes" checked/);

    // An unticked checkbox is not sent at all: the weekly report is turned off.
    const { weeklyReport: _, ...withoutReport } = settings({ digestTime: '06:30', digestWeekday: 'saturday' });
    const saved = await owner.post(`/businesses/${h.tenant.businessId}`, withoutReport);
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(303);
    expect(await apiBusiness()).toMatchObject({ digest: { time: '06:30', weekday: 'saturday' }, weeklyReport: false });
    const again = (await owner.get(`/businesses/${h.tenant.businessId}`)).body;
    expect(again).toContain('<option value="saturday" selected>Saturday</option>');
    expect(again).toMatch(/id="weeklyReport" name="weeklyReport" value="yes">/);

    expect((await owner.post(`/businesses/${h.tenant.businessId}`, settings())).statusCode).toBe(303);
    expect(await apiBusiness()).toMatchObject({ digest: { time: '08:00', weekday: 'monday' }, weeklyReport: true });
  });

  test('a bad digest time or day is refused by name, the rest kept as typed', async () => {
    const time = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ name: 'Kept Bistro', digestTime: '25:00', digestWeekday: 'friday' }));
    expect(time.statusCode).toBe(400);
    expect(problemOf(time.body)).toBe('Digests go out at: must be a time &quot;HH:MM&quot; between 00:00 and 23:59, got &quot;25:00&quot;');
    expect(time.body).toMatch(/id="digestTime" name="digestTime" required value="25:00"[^>]*aria-invalid="true"/);
    expect(time.body).toContain('<option value="friday" selected>Friday</option>');
    expect(time.body).toContain('value="Kept Bistro"');

    const day = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ digestWeekday: 'someday' }));
    expect(problemOf(day.body)).toBe('Weekly digest on: must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday');
    expect(day.body).toMatch(/id="digestWeekday" name="digestWeekday" aria-invalid="true"/);
    expect(await apiBusiness()).toMatchObject({ name: 'Alice Bistro', digest: { time: '08:00', weekday: 'monday' } });
  });

  test('every day left empty means no opening hours', async () => {
    const emptied = settings({ 'hours-mon-0-open': '', 'hours-mon-0-close': '', 'hours-mon-1-open': '', 'hours-mon-1-close': '', 'hours-sat-0-open': '', 'hours-sat-0-close': '' });
    expect((await owner.post(`/businesses/${h.tenant.businessId}`, emptied)).statusCode).toBe(303);
    expect((await apiBusiness()).openingHours).toBeNull();
  });

  test('bad settings re-render the form with every value kept and the field named', async () => {
    const overlap = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ name: 'Renamed Bistro', 'hours-mon-1-open': '12:00' }));
    expect(overlap.statusCode).toBe(400);
    expect(problemOf(overlap.body)).toBe('Opening hours, Monday: intervals of one day must not overlap');
    expect(overlap.body).toContain('value="Renamed Bistro"');
    expect(overlap.body).toMatch(/id="hours-mon-1-open" name="hours-mon-1-open" value="12:00"/);

    const backwards = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ 'hours-mon-0-open': '', 'hours-mon-0-close': '', 'hours-mon-1-open': '18:00', 'hours-mon-1-close': '14:00' }));
    expect(problemOf(backwards.body)).toBe('Opening hours, Monday, row 2: open must be before close on the same day; split overnight hours over two days');
    expect(backwards.body).toMatch(/id="hours-mon-1-open"[^>]*aria-invalid="true"/);

    const half = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ 'hours-sat-0-close': '' }));
    expect(problemOf(half.body)).toBe('Opening hours, Saturday, row 1: give both the opening and the closing time, or neither');

    const email = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ alertEmails: 'owner@example.com\nnot an address' }));
    expect(problemOf(email.body)).toBe('Alert addresses: &quot;not an address&quot; is not an email address');
    expect(email.body).toContain('owner@example.com\nnot an address</textarea>');

    const sla = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ slaHours: '9999' }));
    expect(problemOf(sla.body)).toBe('Reply within (hours): must be a whole number of hours from 1 to 720');

    const blank = await owner.post(`/businesses/${h.tenant.businessId}`, settings({ name: '   ' }));
    expect(problemOf(blank.body)).toBe('Name: must not be blank');
    // Nothing refused was stored.
    expect((await apiBusiness()).name).toBe('Alice Bistro');
  });
});

describe('who may use the Businesses pages', () => {
  test('staff and consultants get the 403 page', async () => {
    for (const email of ['sam@bistro.test', 'cora@bistro.test']) {
      const session = await signInWithForm(h, email);
      for (const url of ['/businesses', `/businesses/${h.tenant.businessId}`]) expect((await session.get(url)).statusCode, `${email} ${url}`).toBe(403);
      expect((await session.post(`/businesses/${h.tenant.businessId}`, settings({ name: 'Hijacked' }))).statusCode).toBe(403);
    }
    expect((await apiBusiness()).name).not.toBe('Hijacked');
  });

  test("another tenant's business is the 404 page", async () => {
    expect((await owner.get(`/businesses/${h.stranger.businessId}`)).statusCode).toBe(404);
    expect((await owner.get('/businesses/not-a-uuid')).statusCode).toBe(404);
    expect((await owner.post(`/businesses/${h.stranger.businessId}`, settings({ name: 'Hijacked' }))).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${h.stranger.businessId}`, key: h.stranger.key })).json().name).toBe('Mallory Bistro');
  });

  test('an owner limited to some businesses cannot add one', async () => {
    await addPerson(h.db, h.tenant.accountId, { email: 'lim@bistro.test', role: 'owner', businessIds: [h.tenant.businessId] });
    const limited = await signInWithForm(h, 'lim@bistro.test');
    expect((await limited.get('/businesses')).body).not.toContain('Add business</button>');
    expect((await limited.post('/businesses', { name: 'Sneaky', timezone: 'UTC', alertEmails: 'x@example.com' })).statusCode).toBe(403);
  });
});
