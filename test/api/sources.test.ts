import { afterAll, describe, expect, test } from 'vitest';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import { buildApp } from '../../services/api/app.ts';
import { jobIds } from '../../services/queue/queues.ts';
import { decryptCredentials } from '../../services/security/credentials.ts';
import { createApiHarness, insertItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const PLACE = 'ChIJN1t_tDeuEmsRUsoyG83frY4';
const API_KEY = 'AIzaSy-very-secret-key-1234567890';

const createSource = (businessId: string, payload: object) =>
  h.call({ method: 'POST', url: `/v1/businesses/${businessId}/sources`, payload });

const googleSource = { type: 'google_places', config: { placeId: PLACE }, credentials: { apiKey: API_KEY } };

describe('POST /v1/businesses/:id/sources', () => {
  test('creates a source due at once, with its health and without its credentials', async () => {
    const before = new Date();
    const response = await createSource(h.tenant.businessId, googleSource);
    expect(response.statusCode).toBe(201);
    expect(response.body).not.toContain(API_KEY);
    const source = response.json();
    expect(source).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      businessId: h.tenant.businessId,
      type: 'google_places',
      config: { placeId: PLACE, baseUrl: 'https://places.googleapis.com' },
      pollEveryMinutes: 60,
      createdAt: expect.any(String),
      capabilities: googlePlaces.capabilities,
      webhookUrl: null,
      health: {
        status: 'ok',
        lastPolledAt: null,
        lastSuccessAt: null,
        lastError: null,
        consecutiveFailures: 0,
        itemCount: 0,
        possiblyBroken: false,
        quietSince: null,
      },
    });

    const row = await h.db.selectFrom('sources').selectAll().where('id', '=', source.id).executeTakeFirstOrThrow();
    expect(row.account_id).toBe(h.tenant.accountId);
    expect(row.next_poll_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(row.next_poll_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(row.credentials).not.toBeNull();
    expect(row.credentials).not.toContain(API_KEY);
    expect(row.credentials).not.toContain(Buffer.from(API_KEY).toString('base64url'));
    expect(decryptCredentials(h.credentialsKey, source.id, row.credentials)).toEqual({ apiKey: API_KEY });
  });

  test('takes a poll interval of its own', async () => {
    const response = await createSource(h.tenant.businessId, { ...googleSource, pollEveryMinutes: 5 });
    expect(response.json().pollEveryMinutes).toBe(5);
  });

  test.each([
    [{ ...googleSource, type: 'myspace' }, 'body.type'],
    [{ type: 'google_places', credentials: { apiKey: API_KEY } }, 'body.config'],
    [{ ...googleSource, config: {} }, 'body.config.placeId'],
    [{ ...googleSource, config: { placeId: PLACE, placeID: PLACE } }, 'body.config.placeID'],
    [{ ...googleSource, credentials: {} }, 'body.credentials.apiKey'],
    [{ ...googleSource, credentials: { apiKey: { value: API_KEY } } }, 'body.credentials.apiKey'],
    [{ ...googleSource, pollEveryMinutes: 0 }, 'body.pollEveryMinutes'],
    [{ ...googleSource, pollEveryMinutes: 10081 }, 'body.pollEveryMinutes'],
    [{ ...googleSource, config: { placeId: PLACE, baseUrl: 'http://127.0.0.1:8080' } }, 'body.config.baseUrl'],
    [{ ...googleSource, config: { placeId: PLACE, baseUrl: 'http://localhost' } }, 'body.config.baseUrl'],
    [{ ...googleSource, config: { placeId: PLACE, baseUrl: 'http://[::1]/' } }, 'body.config.baseUrl'],
    [{ ...googleSource, config: { placeId: PLACE, baseUrl: 'http://10.1.2.3' } }, 'body.config.baseUrl'],
  ])('%j is refused naming %s', async (payload, field) => {
    const response = await createSource(h.tenant.businessId, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'validation_failed', field, message: expect.stringContaining(field) });
  });

  test('an unknown type is answered with the known ones', async () => {
    const response = await createSource(h.tenant.businessId, { ...googleSource, type: 'myspace' });
    expect(response.json().error.message).toContain('google_places');
  });

  test('private URLs are accepted when the operator allows them', async () => {
    const app = await buildApp({
      db: h.db,
      queues: h.queues,
      config: { ...h.config, allowPrivateUrls: true },
      credentialsKey: h.credentialsKey,
      logger: false,
    });
    try {
      const response = await app.inject({
        method: 'POST',
        url: `/v1/businesses/${h.tenant.businessId}/sources`,
        headers: { authorization: `Bearer ${h.tenant.key}` },
        payload: { ...googleSource, config: { placeId: PLACE, baseUrl: 'http://127.0.0.1:8080' } },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().config.baseUrl).toBe('http://127.0.0.1:8080');
    } finally {
      await app.close();
    }
  });

  test("another account's business is not found and gets no source", async () => {
    const response = await createSource(h.stranger.businessId, googleSource);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
    const rows = await h.db.selectFrom('sources').select('id').where('business_id', '=', h.stranger.businessId).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('GET /v1/businesses/:id/sources', () => {
  test("lists the business's sources", async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}/sources` });
    expect(response.statusCode).toBe(200);
    const sources = response.json().sources;
    expect(sources[0].id).toBe(h.tenant.sourceId);
    expect(sources.every((source: { businessId: string }) => source.businessId === h.tenant.businessId)).toBe(true);
    expect(response.body).not.toContain(API_KEY);
  });

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}/sources?status=ok` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.status');
  });

  test("another account's business is not found", async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.stranger.businessId}/sources` });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /v1/sources/:id', () => {
  test('reports health: last error, failures and how many items it brought', async () => {
    const { sourceId } = h.tenant;
    await insertItem(h.db, h.tenant);
    await insertItem(h.db, h.tenant);
    await h.db
      .updateTable('sources')
      .set({
        status: 'needs_attention',
        last_polled_at: '2026-03-01T10:00:00Z',
        last_error_kind: 'config',
        last_error_message: 'the platform refused the API key (403)',
        last_error_at: '2026-03-01T10:00:01Z',
        consecutive_failures: 2,
      })
      .where('id', '=', sourceId)
      .execute();

    const response = await h.call({ method: 'GET', url: `/v1/sources/${sourceId}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().health).toEqual({
      status: 'needs_attention',
      lastPolledAt: '2026-03-01T10:00:00.000Z',
      lastSuccessAt: null,
      lastError: { kind: 'config', message: 'the platform refused the API key (403)', at: '2026-03-01T10:00:01.000Z' },
      consecutiveFailures: 2,
      itemCount: 2,
      possiblyBroken: false,
      quietSince: null,
    });
  });

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/sources/${h.tenant.sourceId}?verbose=1` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.verbose');
  });

  test.each([
    ["another account's source", () => h.stranger.sourceId],
    ['a malformed id', () => '12345'],
  ])('%s is not found', async (_, id) => {
    const response = await h.call({ method: 'GET', url: `/v1/sources/${id()}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'not_found', message: 'source not found' });
  });
});

describe('POST /v1/sources/:id/poll', () => {
  test('makes the source due and queues a poll', async () => {
    const { sourceId } = h.tenant;
    await h.db.updateTable('sources').set({ next_poll_at: '2099-01-01T00:00:00Z' }).where('id', '=', sourceId).execute();
    const response = await h.call({ method: 'POST', url: `/v1/sources/${sourceId}/poll` });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ queued: true, sourceId });

    const row = await h.db.selectFrom('sources').select('next_poll_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    expect(row.next_poll_at.getTime()).toBeLessThanOrEqual(Date.now());
    const job = await h.queues.poll.getJob(jobIds.poll(sourceId, row.next_poll_at.toISOString()));
    expect(job?.data).toEqual({ sourceId, slot: row.next_poll_at.toISOString() });
  });

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'POST', url: `/v1/sources/${h.tenant.sourceId}/poll?force=true` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.force');
  });

  test("another account's source is not found and not polled", async () => {
    const { sourceId } = h.stranger;
    await h.db.updateTable('sources').set({ next_poll_at: '2099-01-01T00:00:00Z' }).where('id', '=', sourceId).execute();
    const response = await h.call({ method: 'POST', url: `/v1/sources/${sourceId}/poll` });
    expect(response.statusCode).toBe(404);
    const row = await h.db.selectFrom('sources').select('next_poll_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    expect(row.next_poll_at.toISOString()).toBe('2099-01-01T00:00:00.000Z');
  });
});
