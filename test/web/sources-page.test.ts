import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { jobIds } from '../../services/jobs/queues.ts';
import { decryptCredentials } from '../../services/sources/credentials.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

const API_KEY = 'AIzaSy-very-secret-web-key-0123456789';
const WEBHOOK_SECRET = 'a-webhook-secret-of-more-than-24-chars';
const PLACE = 'ChIJN1t_tDeuEmsRUsoyG83frY4';

let h: ApiHarness & { testDb: TestDatabase };
let owner: WebSession;

beforeAll(async () => {
  h = await createApiHarness();
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff' });
  await addPerson(h.db, h.tenant.accountId, { email: 'cora@bistro.test', role: 'consultant' });
  owner = await signInWithForm(h, 'olive@bistro.test');
});
afterAll(() => h.close());

async function apiSources(businessId = h.tenant.businessId): Promise<Array<Record<string, any>>> {
  const response = await h.call({ method: 'GET', url: `/v1/businesses/${businessId}/sources` });
  expect(response.statusCode).toBe(200);
  return response.json().sources;
}

/** Adds a source through the form and returns its id (from the API: the newest of its type). */
async function addThroughForm(fields: Record<string, string>): Promise<string> {
  const response = await owner.post('/sources/new', { business: h.tenant.businessId, ...fields });
  expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
  expect(response.headers.location).toMatch(/^\/sources\?done=created#source-[0-9a-f-]{36}$/);
  return String(response.headers.location).split('#source-')[1] as string;
}

function problemOf(body: string): string | undefined {
  return /<p class="notice problem"[^>]*>([^<]*)</.exec(body)?.[1];
}

describe('the Sources page', () => {
  test('lists each business with its sources and their health in plain words', async () => {
    const page = await owner.get('/sources');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Sources</h1>');
    expect(page.body).toContain('Alice Bistro');
    // The tenant's test source has no connector any more: still listed, never a crash.
    expect(page.body).toContain('test_platform (no longer supported)');
    expect(page.body).toContain('Working');
    expect(page.body).toContain('Last success');
    expect(page.body).toContain('Next poll');
    expect(page.body).not.toContain('Mallory');
  });

  test('the add form is generated from the connector: labelled inputs, secrets as password inputs', async () => {
    const chooser = await owner.get(`/sources/new?business=${h.tenant.businessId}`);
    expect(chooser.statusCode).toBe(200);
    expect(chooser.body).toContain('<label for="type-google_places">Google');
    const page = await owner.get(`/sources/new?business=${h.tenant.businessId}&type=google_places`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="config-placeId">Place ID</label>');
    expect(page.body).toMatch(/<input type="text" id="config-placeId" name="config.placeId"[^>]* required/);
    expect(page.body).toMatch(/<input type="url" id="config-baseUrl" name="config.baseUrl"/);
    expect(page.body).toMatch(/<input type="password" id="credentials-apiKey" name="credentials.apiKey"[^>]* required/);
    expect(page.body).toContain('<label for="pollEveryMinutes">Poll every (minutes)</label>');
    const terms = await owner.get(`/sources/new?business=${h.tenant.businessId}&type=rss`);
    expect(terms.body).toMatch(/<textarea id="config-terms" name="config.terms"/);
  });

  test('adding a source works as through the API, and its secret is never shown again', async () => {
    const id = await addThroughForm({ type: 'google_places', 'config.placeId': PLACE, 'config.baseUrl': '', 'credentials.apiKey': API_KEY, pollEveryMinutes: '45' });
    const created = (await apiSources()).find((source) => source.id === id);
    expect(created).toMatchObject({ type: 'google_places', config: { placeId: PLACE, baseUrl: 'https://places.googleapis.com' }, pollEveryMinutes: 45 });
    const stored = await h.db.selectFrom('sources').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
    expect(decryptCredentials(h.credentialsKey, id, stored.credentials)).toEqual({ apiKey: API_KEY });

    const list = await owner.get('/sources?done=created');
    expect(list.body).toContain('Source added.');
    expect(list.body).toContain(`Google (Places API) · ${PLACE}`);
    const detail = await owner.get(`/sources/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Saved; leave empty to keep it.');
    for (const body of [list.body, detail.body]) expect(body).not.toContain(API_KEY);
  });

  test('bad input re-renders the form with the values kept (never the secret) and names the field', async () => {
    const response = await owner.post('/sources/new', {
      business: h.tenant.businessId,
      type: 'google_places',
      'config.placeId': '',
      'config.baseUrl': 'https://places.example.com',
      'credentials.apiKey': API_KEY,
      pollEveryMinutes: '30',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toBe('Place ID: is required');
    expect(response.body).toMatch(/name="config.placeId"[^>]*aria-invalid="true"/);
    expect(response.body).toContain('value="https://places.example.com"');
    expect(response.body).toMatch(/name="pollEveryMinutes"[^>]*value="30"/);
    expect(response.body).not.toContain(API_KEY);

    const interval = await owner.post('/sources/new', { business: h.tenant.businessId, type: 'rss', 'config.url': 'https://example.com/feed', pollEveryMinutes: '0' });
    expect(interval.statusCode).toBe(400);
    expect(problemOf(interval.body)).toBe('Poll every (minutes): must be a whole number of minutes from 1 to 10080');
  });

  test('a URL pointing at this machine is refused, as in the API', async () => {
    const response = await owner.post('/sources/new', { business: h.tenant.businessId, type: 'rss', 'config.url': 'http://127.0.0.1:9/feed', pollEveryMinutes: '60' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toMatch(/^URL: /);
    expect(response.body).toContain('value="http://127.0.0.1:9/feed"');
  });

  test('editing keeps a saved secret left empty, and a change shows through the API', async () => {
    const id = await addThroughForm({ type: 'google_places', 'config.placeId': PLACE, 'credentials.apiKey': API_KEY, pollEveryMinutes: '60' });
    const saved = await owner.post(`/sources/${id}`, { 'config.placeId': PLACE, 'config.baseUrl': 'https://places.googleapis.com', 'credentials.apiKey': '', pollEveryMinutes: '20' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/sources/${id}?done=saved`);
    const source = (await h.call({ method: 'GET', url: `/v1/sources/${id}` })).json();
    expect(source.pollEveryMinutes).toBe(20);
    const stored = await h.db.selectFrom('sources').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
    expect(decryptCredentials(h.credentialsKey, id, stored.credentials)).toEqual({ apiKey: API_KEY });

    const refused = await owner.post(`/sources/${id}`, { 'config.placeId': PLACE, 'config.baseUrl': 'ftp://places.example.com', 'credentials.apiKey': 'a-new-key-typed-here', pollEveryMinutes: '20' });
    expect(refused.statusCode).toBe(400);
    expect(problemOf(refused.body)).toBe('Base URL: must be an http or https URL');
    expect(refused.body).toContain('value="ftp://places.example.com"');
    expect(refused.body).not.toContain('a-new-key-typed-here');
  });

  test('pause, resume and poll now do what the API does', async () => {
    const id = await addThroughForm({ type: 'rss', 'config.url': 'https://example.com/feed.xml', pollEveryMinutes: '60' });
    const paused = await owner.post(`/sources/${id}/pause`, { back: '/sources' });
    expect(paused.headers.location).toBe('/sources?done=paused');
    expect((await h.call({ method: 'GET', url: `/v1/sources/${id}` })).json().health.status).toBe('paused');
    const card = (await owner.get('/sources')).body.split(`id="source-${id}"`)[1]?.split('</article>')[0] ?? '';
    expect(card).toContain('>Resume</button>');
    expect(card).toContain('none while paused');

    const resumed = await owner.post(`/sources/${id}/resume`, { back: `/sources/${id}` });
    expect(resumed.headers.location).toBe(`/sources/${id}?done=resumed`);
    expect((await h.call({ method: 'GET', url: `/v1/sources/${id}` })).json().health.status).toBe('ok');

    const polled = await owner.post(`/sources/${id}/poll`, { back: '/sources' });
    expect(polled.headers.location).toBe('/sources?done=polled');
    const row = await h.db.selectFrom('sources').select('next_poll_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(await h.queues.poll.getJob(jobIds.poll(id, row.next_poll_at.toISOString()))).toBeDefined();
  });

  test('a webhook source shows its webhook URL and has nothing to poll', async () => {
    const form = await owner.get(`/sources/new?business=${h.tenant.businessId}&type=webhook`);
    expect(form.body).toMatch(/<input type="password" id="credentials-secret" name="credentials.secret"/);
    expect(form.body).not.toContain('name="pollEveryMinutes"');
    const id = await addThroughForm({ type: 'webhook', 'credentials.secret': WEBHOOK_SECRET });
    const list = await owner.get('/sources');
    const card = list.body.split(`id="source-${id}"`)[1]?.split('</article>')[0] ?? '';
    expect(card).toContain(`value="${h.config.publicUrl}/v1/webhooks/${id}"`);
    expect(card).not.toContain('Poll now');
    expect(list.body).not.toContain(WEBHOOK_SECRET);
    const polled = await owner.post(`/sources/${id}/poll`, { back: '/sources' });
    expect(polled.headers.location).toBe('/sources?done=pushed');
  });

  test('deleting shows what would go, then deletes only once confirmed', async () => {
    const id = await addThroughForm({ type: 'rss', 'config.url': 'https://example.com/delete-me.xml', pollEveryMinutes: '60' });
    const page = await owner.get(`/sources/${id}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>0</strong> reviews and mentions');
    expect(page.body).toContain('>Delete this source</button>');
    const unconfirmed = await owner.post(`/sources/${id}/delete`, {});
    expect(unconfirmed.headers.location).toBe(`/sources/${id}/delete`);
    expect((await h.call({ method: 'GET', url: `/v1/sources/${id}` })).statusCode).toBe(200);
    const deleted = await owner.post(`/sources/${id}/delete`, { confirm: id });
    expect(deleted.headers.location).toBe('/sources?done=deleted');
    expect((await h.call({ method: 'GET', url: `/v1/sources/${id}` })).statusCode).toBe(404);
  });
});

describe('who may use the Sources pages', () => {
  test('staff and consultants get the 403 page', async () => {
    for (const email of ['sam@bistro.test', 'cora@bistro.test']) {
      const session = await signInWithForm(h, email);
      for (const url of ['/sources', `/sources/new?business=${h.tenant.businessId}`, `/sources/${h.tenant.sourceId}`]) {
        const response = await session.get(url);
        expect(response.statusCode, `${email} ${url}`).toBe(403);
        expect(response.headers['content-type']).toContain('text/html');
      }
      expect((await session.post(`/sources/${h.tenant.sourceId}/pause`, {})).statusCode).toBe(403);
    }
    expect((await h.call({ method: 'GET', url: `/v1/sources/${h.tenant.sourceId}` })).json().health.status).toBe('ok');
  });

  test("another tenant's ids get the 404 page, and their sources are never listed", async () => {
    for (const url of [`/sources/${h.stranger.sourceId}`, `/sources/${h.stranger.sourceId}/delete`, `/sources/new?business=${h.stranger.businessId}&type=rss`, '/sources/not-a-uuid']) {
      expect((await owner.get(url)).statusCode, url).toBe(404);
    }
    expect((await owner.post(`/sources/${h.stranger.sourceId}/pause`, {})).statusCode).toBe(404);
    const added = await owner.post('/sources/new', { business: h.stranger.businessId, type: 'rss', 'config.url': 'https://example.com/x.xml', pollEveryMinutes: '60' });
    expect(added.statusCode).toBe(404);
    expect(await apiSources()).not.toContainEqual(expect.objectContaining({ config: expect.objectContaining({ url: 'https://example.com/x.xml' }) }));
  });

  test('an owner limited to one business sees only its sources', async () => {
    const other = await createBusiness(h.db, h.tenant.accountId, { name: 'Second Shop', timezone: 'Europe/Paris', alertEmails: ['second@example.com'] });
    await addPerson(h.db, h.tenant.accountId, { email: 'lim@bistro.test', role: 'owner', businessIds: [other.id] });
    const limited = await signInWithForm(h, 'lim@bistro.test');
    const list = await limited.get('/sources');
    expect(list.body).toContain('Second Shop');
    expect(list.body).not.toContain('Alice Bistro');
    expect((await limited.get(`/sources/${h.tenant.sourceId}`)).statusCode).toBe(404);
  });
});
