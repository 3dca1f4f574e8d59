import { pino } from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { listDueSources } from '../../db/repositories/poll-state.ts';
import { createSource as insertSource } from '../../services/sources/store-source.ts';
import { createGuardedAgent } from '../../services/sources/http/guarded-agent.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';
import { runPollJob } from '../../services/jobs/poll-job.ts';
import { enqueuePoll } from '../../services/sources/enqueue-poll.ts';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import { buildApp } from '../../services/api/app.ts';
import { jobIds } from '../../services/jobs/queues.ts';
import { decryptCredentials } from '../../services/sources/credentials.ts';
import { addKey, createApiHarness, freshSource, insertItem } from '../support/api.ts';

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
        skippedItems: [],
        stream: null,
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
      skippedItems: [],
      stream: null,
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

describe('DELETE /v1/sources/:id', () => {
  const remove = (id: string, query = '', key?: string) => h.call({ method: 'DELETE', url: `/v1/sources/${id}${query}`, ...(key && { key }) });

  test('without ?confirm=<id> deletes nothing and says what would go', async () => {
    const shop = await freshSource(h);
    const item = await insertItem(h.db, shop);
    await h.db.insertInto('item_events').values({ item_id: item, account_id: shop.accountId, type: 'note', actor: 'Sam', data: '{}' }).execute();
    const response = await remove(shop.sourceId, '?confirm=yes');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'validation_failed',
      field: 'query.confirm',
      message: `query.confirm must repeat the source's id (?confirm=${shop.sourceId}) to delete the test_platform source with 1 item, 1 timeline event, 0 revisions, 0 alert deliveries, 0 re-review requests, 0 kept bad pages, 0 items kept aside; this cannot be undone`,
    });
    expect((await h.call({ method: 'GET', url: `/v1/sources/${shop.sourceId}` })).json().health.itemCount).toBe(1);
  });

  test('with ?confirm=<id> deletes the source with its items, notices and bad pages, and nothing else', async () => {
    const shop = await freshSource(h);
    const other = await insertSource(h.db, h.credentialsKey, { ...shop, type: 'test_platform', config: {}, credentials: {}, pollEveryMinutes: 15, scheduled: true });
    const gone = await insertItem(h.db, shop);
    const kept = await insertItem(h.db, { ...shop, sourceId: other.id });
    await h.db.insertInto('alert_deliveries').values({ account_id: shop.accountId, item_id: gone, recipient: 'o@example.com', kind: 'negative_item' }).execute();
    await h.db
      .insertInto('alert_deliveries')
      .values({ account_id: shop.accountId, source_id: shop.sourceId, recipient: 'o@example.com', kind: 'source_needs_attention', incident: 'x' })
      .execute();
    await h.db.insertInto('source_bad_pages').values({ account_id: shop.accountId, source_id: shop.sourceId, message: 'bad', payload: '{' }).execute();

    const response = await remove(shop.sourceId, `?confirm=${shop.sourceId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: shop.sourceId,
      deleted: { businesses: 0, sources: 1, items: 1, events: 0, revisions: 0, alertDeliveries: 2, reReviewRequests: 0, badPages: 1, skippedItems: 0, keysRevoked: 0 },
    });
    expect((await h.call({ method: 'GET', url: `/v1/sources/${shop.sourceId}` })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/items/${gone}` })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/items/${kept}` })).statusCode).toBe(200);
    expect(await h.db.selectFrom('alert_deliveries').select('id').where('account_id', '=', shop.accountId).where((eb) => eb.or([eb('item_id', '=', gone), eb('source_id', '=', shop.sourceId)])).execute()).toEqual([]);
    expect(await h.db.selectFrom('source_bad_pages').select('id').where('source_id', '=', shop.sourceId).execute()).toEqual([]);
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${shop.businessId}/sources` })).json().sources.map((s: { id: string }) => s.id)).toEqual([other.id]);
  });

  test("another account's source and unknown ids are not found; staff and consultants are refused", async () => {
    for (const id of [h.stranger.sourceId, '00000000-0000-4000-8000-000000000000', 'urn:uuid:x']) {
      const response = await remove(id, `?confirm=${id}`);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: 'source not found' } });
    }
    const shop = await freshSource(h);
    for (const role of ['staff', 'consultant'] as const) {
      expect((await remove(shop.sourceId, `?confirm=${shop.sourceId}`, (await addKey(h.db, h.tenant.accountId, role)).key)).statusCode).toBe(403);
    }
    expect(await h.db.selectFrom('sources').select('id').where('id', 'in', [h.stranger.sourceId, shop.sourceId]).execute()).toHaveLength(2);
  });

  test('a poll already queued for a deleted source finds nothing and ends without error; the scheduler never queues it again', async () => {
    const shop = await freshSource(h);
    const row = await h.db.selectFrom('sources').select('next_poll_at').where('id', '=', shop.sourceId).executeTakeFirstOrThrow();
    await enqueuePoll(h.queues, shop.sourceId, row.next_poll_at);
    expect((await listDueSources(h.db, new Date(Date.now() + 3_600_000))).map((s) => s.id)).toContain(shop.sourceId);

    expect((await remove(shop.sourceId, `?confirm=${shop.sourceId}`)).statusCode).toBe(200);

    const job = await h.queues.poll.getJob(jobIds.poll(shop.sourceId, row.next_poll_at.toISOString()));
    expect(job).toBeDefined();
    const agent = createGuardedAgent(false);
    try {
      const deps = {
        db: h.db,
        queues: h.queues,
        config: h.config,
        credentialsKey: h.credentialsKey,
        budget: createRequestBudget(h.queues.connection, `${h.queues.prefix}:budget`),
        agent,
        log: pino({ level: 'silent' }),
      };
      expect(await runPollJob(job!, deps, new AbortController().signal)).toEqual({ outcome: 'skipped', reason: expect.any(String) });
    } finally {
      await agent.close();
    }
    expect((await listDueSources(h.db, new Date('2999-01-01T00:00:00Z'))).map((s) => s.id)).not.toContain(shop.sourceId);
  });

  test('response-time figures drop the deleted items at once, and a deleted business drops out of them', async () => {
    const shop = await freshSource(h);
    const second = await insertSource(h.db, h.credentialsKey, { ...shop, type: 'test_platform', config: {}, credentials: {}, pollEveryMinutes: 15, scheduled: true });
    const answered = (publishedAt: string, minutes: number) => ({
      published_at: new Date(publishedAt),
      first_response_at: new Date(Date.parse(publishedAt) + minutes * 60_000),
      first_response_source: 'platform' as const,
    });
    await insertItem(h.db, shop, answered('2026-05-04T10:00:00Z', 60));
    await insertItem(h.db, shop, answered('2026-05-05T10:00:00Z', 60));
    await insertItem(h.db, { ...shop, sourceId: second.id }, answered('2026-05-06T10:00:00Z', 600));
    const figures = async (query: string) => {
      const response = await h.call({ method: 'GET', url: `/v1/metrics/response-times?${query}` });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().groups as Array<Record<string, unknown>>;
    };
    const ofShop = () => figures(`businessId=${shop.businessId}&groupBy=business`);
    // Read once first, so the figures come from the in-memory facts afterwards.
    expect(await ofShop()).toEqual([expect.objectContaining({ items: 3, responded: 3, medianSeconds: 3_600 })]);

    expect((await remove(second.id, `?confirm=${second.id}`)).statusCode).toBe(200);
    expect(await ofShop()).toEqual([expect.objectContaining({ items: 2, responded: 2, medianSeconds: 3_600 })]);

    const keys = (groups: Array<Record<string, unknown>>) => groups.map((group) => group.key);
    expect(keys(await figures('groupBy=business'))).toContain(shop.businessId);
    expect((await h.call({ method: 'DELETE', url: `/v1/businesses/${shop.businessId}?confirm=${shop.businessId}` })).statusCode).toBe(200);
    expect(keys(await figures('groupBy=business'))).not.toContain(shop.businessId);
  });
});
