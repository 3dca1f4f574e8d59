import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectors } from '../../connectors/registry.ts';
import { decryptCredentials } from '../../services/sources/credentials.ts';
import { addKey, createApiHarness, type ApiHarness } from '../support/api.ts';

let h: ApiHarness;
let sourceId: string;

beforeAll(async () => {
  h = await createApiHarness();
  const created = await h.call({
    method: 'POST',
    url: `/v1/businesses/${h.tenant.businessId}/sources`,
    payload: { type: 'google_places', config: { placeId: 'ChIJold' }, credentials: { apiKey: 'old-key' } },
  });
  sourceId = created.json().id;
});
afterAll(() => h.close());

const patch = (payload: object, key?: string) => h.call({ method: 'PATCH', url: `/v1/sources/${sourceId}`, payload, ...(key ? { key } : {}) });

test('GET /v1/source-types lists every connector with its settings, secrets marked, and the platforms left out with the reason', async () => {
  const response = await h.call({ method: 'GET', url: '/v1/source-types' });
  expect(response.statusCode).toBe(200);
  const body = response.json();
  expect(body.types.map((t: { type: string }) => t.type).sort()).toEqual(Object.keys(connectors).sort());
  const places = body.types.find((t: { type: string }) => t.type === 'google_places');
  expect(places.credentials.apiKey).toMatchObject({ required: true, secret: true });
  expect(places.config.placeId).toMatchObject({ required: true, secret: false });
  expect(places.capabilities).toMatchObject({ hasRatings: true, push: false });
  expect(body.unsupported.map((u: { id: string }) => u.id)).toEqual(['facebook_ratings', 'tripadvisor']);
  expect((await h.call({ method: 'GET', url: '/v1/source-types', key: null })).statusCode).toBe(401);
});

test('a source needing attention is fixed by new credentials: status back to ok, due now, cursor kept', async () => {
  await h.db.updateTable('sources').set({ status: 'needs_attention', consecutive_failures: 4, cursor: JSON.stringify({ seen: {} }), next_poll_at: new Date('2030-01-01') }).where('id', '=', sourceId).execute();
  const response = await patch({ credentials: { apiKey: 'new-key' } });
  expect(response.statusCode).toBe(200);
  expect(response.json().health).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
  const row = await h.db.selectFrom('sources').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow();
  expect(decryptCredentials(h.credentialsKey, sourceId, row.credentials)).toEqual({ apiKey: 'new-key' });
  expect(row.next_poll_at.getTime()).toBeLessThanOrEqual(Date.now());
  expect(row.cursor).toEqual({ seen: {} });
});

test('a new config is checked like a new source and starts the source afresh', async () => {
  const bad = await patch({ config: { placeID: 'typo' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.field).toBe('body.config.placeID');
  const good = await patch({ config: { placeId: 'ChIJnew' } });
  expect(good.json().config.placeId).toBe('ChIJnew');
  const row = await h.db.selectFrom('sources').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow();
  expect(row.cursor).toBeNull();
  // The stored credentials were kept.
  expect(decryptCredentials(h.credentialsKey, sourceId, row.credentials)).toEqual({ apiKey: 'new-key' });
});

test('pausing stops polling until resumed', async () => {
  expect((await patch({ paused: true })).json().health.status).toBe('paused');
  const due = await h.db.selectFrom('sources').select('id').where('status', 'in', ['ok', 'failing']).where('id', '=', sourceId).execute();
  expect(due).toHaveLength(0);
  expect((await patch({ pollEveryMinutes: 30 })).json()).toMatchObject({ pollEveryMinutes: 30, health: { status: 'paused' } });
  expect((await patch({ paused: false })).json().health.status).toBe('ok');
});

test('bad input, other accounts and roles', async () => {
  expect((await patch({})).statusCode).toBe(400);
  expect((await patch({ pollEveryMinutes: 0 })).json().error.field).toBe('body.pollEveryMinutes');
  expect((await h.call({ method: 'PATCH', url: `/v1/sources/${h.stranger.sourceId}`, payload: { paused: true } })).statusCode).toBe(404);
  expect((await patch({ paused: true }, 'esk_wrong')).statusCode).toBe(401);
  const staff = await addKey(h.db, h.tenant.accountId, 'staff');
  expect((await patch({ paused: true }, staff.key)).statusCode).toBe(403);
});

test.each([
  ['rss', { url: 'http://127.0.0.1:8080/feed.xml' }, 'body.config.url'],
  ['rss', { url: 'http://[::1]/feed' }, 'body.config.url'],
  ['mastodon', { instanceUrl: 'http://10.0.0.5', hashtags: ['bistro'] }, 'body.config.instanceUrl'],
  ['yelp', { businessId: 'x', baseUrl: 'http://169.254.169.254' }, 'body.config.baseUrl'],
])('a %s source pointed at a private address is refused, naming the field', async (type, config, field) => {
  const response = await h.call({
    method: 'POST',
    url: `/v1/businesses/${h.tenant.businessId}/sources`,
    payload: { type, config, ...(type === 'yelp' ? { credentials: { apiKey: 'k' } } : {}) },
  });
  expect(response.statusCode).toBe(400);
  expect(response.json().error.field).toBe(field);
  expect(response.json().error.message).toMatch(/EARSHOT_ALLOW_PRIVATE_URLS/);
});

test('a source of a platform this version no longer supports can be paused (then deleted), but not resumed or changed', async () => {
  // The harness's own source has a type no connector claims, as after an upgrade that dropped a platform.
  const gone = h.tenant.sourceId;
  const paused = await h.call({ method: 'PATCH', url: `/v1/sources/${gone}`, payload: { paused: true } });
  expect(paused.statusCode).toBe(200);
  expect(paused.json().health.status).toBe('paused');
  const resumed = await h.call({ method: 'PATCH', url: `/v1/sources/${gone}`, payload: { paused: false } });
  expect(resumed.statusCode).toBe(400);
  expect(resumed.json().error.message).toBe('source type test_platform is no longer supported; it can only be paused or deleted');
});
