import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { createSource } from '../../services/sources/store-source.ts';
import { addKey, createApiHarness, freshSource, insertItem, type TestItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const create = (payload: unknown) => h.call({ method: 'POST', url: '/v1/businesses', payload: payload as object });

describe('POST /v1/businesses', () => {
  test('creates a business with a canonical time zone and deduplicated alert emails', async () => {
    const response = await create({
      name: '  Luigi\'s Trattoria ',
      timezone: 'europe/rome',
      alertEmails: ['luigi@example.com', 'Luigi@Example.com', 'mario@example.com'],
    });
    expect(response.statusCode).toBe(201);
    const business = response.json();
    expect(business).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Luigi's Trattoria",
      timezone: 'Europe/Rome',
      alertEmails: ['luigi@example.com', 'mario@example.com'],
      slaHours: 24,
      openingHours: null,
      digest: { time: '08:00', weekday: 'monday' },
      weeklyReport: true,
      createdAt: expect.any(String),
    });
    expect(new Date(business.createdAt).toISOString()).toBe(business.createdAt);
    const row = await h.db.selectFrom('businesses').selectAll().where('id', '=', business.id).executeTakeFirstOrThrow();
    expect(row.account_id).toBe(h.tenant.accountId);
  });

  test('defaults the time zone to UTC', async () => {
    const response = await create({ name: 'Kiosk', alertEmails: ['k@example.com'] });
    expect(response.json().timezone).toBe('UTC');
  });

  test.each([
    [{ alertEmails: ['a@example.com'] }, 'body.name'],
    [{ name: '', alertEmails: ['a@example.com'] }, 'body.name'],
    [{ name: '   ', alertEmails: ['a@example.com'] }, 'body.name'],
    [{ name: 'x'.repeat(201), alertEmails: ['a@example.com'] }, 'body.name'],
    [{ name: 'Cafe' }, 'body.alertEmails'],
    [{ name: 'Cafe', alertEmails: [] }, 'body.alertEmails'],
    [{ name: 'Cafe', alertEmails: Array.from({ length: 21 }, (_, i) => `p${i}@example.com`) }, 'body.alertEmails'],
    [{ name: 'Cafe', alertEmails: ['a@example.com', 'not an email'] }, 'body.alertEmails[1]'],
    [{ name: 'Cafe', alertEmails: ['a@example.com'], timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
    [{ name: 'Cafe', alertEmails: ['a@example.com'], slaHours: 4 }, 'body.slaHours'],
  ])('%j is refused naming %s', async (payload, field) => {
    const response = await create(payload);
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error).toEqual({ code: 'validation_failed', field, message: expect.stringContaining(field) });
  });
});

describe('GET /v1/businesses', () => {
  test("lists the account's businesses and no one else's", async () => {
    const response = await h.call({ method: 'GET', url: '/v1/businesses' });
    expect(response.statusCode).toBe(200);
    const ids = response.json().businesses.map((b: { id: string }) => b.id);
    expect(ids).toContain(h.tenant.businessId);
    expect(ids).not.toContain(h.stranger.businessId);
  });

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'GET', url: '/v1/businesses?limit=5' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.limit');
  });
});

describe('GET /v1/businesses/:id', () => {
  test('returns the business', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: h.tenant.businessId, name: 'Alice Bistro', alertEmails: ['owner@example.com'] });
  });

  test.each([
    ["another account's business", () => h.stranger.businessId],
    ['an unknown id', () => '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', () => 'not-a-uuid'],
  ])('%s is not found', async (_, id) => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${id()}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'business not found' } });
  });

  test('shows everything PATCH can set, opening hours included', async () => {
    const { businessId } = await freshSource(h);
    const settings = {
      name: 'Chez Bob',
      timezone: 'Europe/Paris',
      slaHours: 48,
      alertEmails: ['bob@example.com'],
      openingHours: { mon: [{ open: '09:00', close: '18:00' }] },
      digest: { time: '06:45', weekday: 'sunday' },
      weeklyReport: false,
    };
    const patched = await h.call({ method: 'PATCH', url: `/v1/businesses/${businessId}`, payload: settings });
    expect(patched.statusCode, patched.body).toBe(200);
    const got = (await h.call({ method: 'GET', url: `/v1/businesses/${businessId}` })).json();
    expect(got).toEqual({ id: businessId, createdAt: expect.any(String), ...settings });
    const listed = (await h.call({ method: 'GET', url: '/v1/businesses' })).json().businesses.find((b: { id: string }) => b.id === businessId);
    expect(listed).toEqual(got);
  });

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}?expand=sources` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.expand');
  });
});

/** A business with two sources, and under them items with every kind of row that hangs off an item. */
async function populatedBusiness(): Promise<TestItem & { secondSourceId: string; itemIds: string[] }> {
  const shop = await freshSource(h);
  const second = await createSource(h.db, h.credentialsKey, {
    accountId: shop.accountId,
    businessId: shop.businessId,
    type: 'test_platform',
    config: {},
    credentials: {},
    pollEveryMinutes: 15,
    scheduled: true,
  });
  const itemIds = [await insertItem(h.db, shop), await insertItem(h.db, shop), await insertItem(h.db, { ...shop, sourceId: second.id })];
  const [first] = itemIds as [string];
  await h.db.insertInto('item_events').values({ item_id: first, account_id: shop.accountId, type: 'note', actor: 'Sam', data: '{}' }).execute();
  await h.db
    .insertInto('item_revisions')
    .values({ item_id: first, account_id: shop.accountId, rating_before: 1, rating_after: 3, body_before: 'bad', body_after: 'better' })
    .execute();
  await h.db.insertInto('alert_deliveries').values({ account_id: shop.accountId, item_id: first, recipient: 'o@example.com', kind: 'negative_item' }).execute();
  await h.db
    .insertInto('alert_deliveries')
    .values({ account_id: shop.accountId, source_id: shop.sourceId, recipient: 'o@example.com', kind: 'source_needs_attention', incident: 'x' })
    .execute();
  await h.db
    .insertInto('re_review_requests')
    .values({ account_id: shop.accountId, business_id: shop.businessId, item_id: first, channel: 'email', requested_by: 'Sam' })
    .execute();
  await h.db.insertInto('source_bad_pages').values({ account_id: shop.accountId, source_id: second.id, message: 'bad', payload: '{' }).execute();
  await h.db.insertInto('skipped_items').values({ account_id: shop.accountId, source_id: second.id, external_id: 'x', reason: 'NUL', payload: '{}' }).execute();
  return { ...shop, secondSourceId: second.id, itemIds };
}

const remove = (id: string, query = '', key?: string) => h.call({ method: 'DELETE', url: `/v1/businesses/${id}${query}`, ...(key && { key }) });

async function rowsOf(businessId: string, sourceIds: string[], itemIds: string[]): Promise<number> {
  const counts = await Promise.all([
    h.db.selectFrom('businesses').select('id').where('id', '=', businessId).execute(),
    h.db.selectFrom('sources').select('id').where('id', 'in', sourceIds).execute(),
    h.db.selectFrom('items').select('id').where('id', 'in', itemIds).execute(),
    h.db.selectFrom('item_events').select('id').where('item_id', 'in', itemIds).execute(),
    h.db.selectFrom('item_revisions').select('id').where('item_id', 'in', itemIds).execute(),
    h.db.selectFrom('alert_deliveries').select('id').where((eb) => eb.or([eb('item_id', 'in', itemIds), eb('source_id', 'in', sourceIds)])).execute(),
    h.db.selectFrom('re_review_requests').select('id').where('item_id', 'in', itemIds).execute(),
    h.db.selectFrom('source_bad_pages').select('id').where('source_id', 'in', sourceIds).execute(),
    h.db.selectFrom('skipped_items').select('id').where('source_id', 'in', sourceIds).execute(),
  ]);
  return counts.reduce((sum, rows) => sum + rows.length, 0);
}

describe('DELETE /v1/businesses/:id', () => {
  test('without ?confirm=<id> deletes nothing and says what would go, with counts', async () => {
    const shop = await populatedBusiness();
    for (const query of ['', '?confirm=true', `?confirm=${h.tenant.businessId}`]) {
      const response = await remove(shop.businessId, query);
      expect(response.statusCode, response.body).toBe(400);
      const { error } = response.json();
      expect(error).toMatchObject({ code: 'validation_failed', field: 'query.confirm' });
      expect(error.message).toContain(`?confirm=${shop.businessId}`);
      expect(error.message).toContain('the business "Shop" with 2 sources, 3 items, 1 timeline event, 1 revision, 2 alert deliveries, 1 re-review request, 1 kept bad page, 1 item kept aside');
    }
    expect(await rowsOf(shop.businessId, [shop.sourceId, shop.secondSourceId], shop.itemIds)).toBe(13);
  });

  test('with ?confirm=<id> deletes the business and everything under it, and answers with what went', async () => {
    const shop = await populatedBusiness();
    const response = await remove(shop.businessId, `?confirm=${shop.businessId.toUpperCase()}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: shop.businessId,
      deleted: { businesses: 1, sources: 2, items: 3, events: 1, revisions: 1, alertDeliveries: 2, reReviewRequests: 1, badPages: 1, skippedItems: 1, keysRevoked: 0 },
    });
    expect(await rowsOf(shop.businessId, [shop.sourceId, shop.secondSourceId], shop.itemIds)).toBe(0);
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${shop.businessId}` })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/sources/${shop.sourceId}` })).statusCode).toBe(404);
    expect((await remove(shop.businessId, `?confirm=${shop.businessId}`)).statusCode).toBe(404);
    // The tenant's other business is untouched.
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}` })).statusCode).toBe(200);
  });

  test('keys limited to it alone are revoked; keys limited to it among others lose it', async () => {
    const shop = await freshSource(h);
    const alone = await addKey(h.db, h.tenant.accountId, 'staff', [shop.businessId]);
    const shared = await addKey(h.db, h.tenant.accountId, 'consultant', [shop.businessId, h.tenant.businessId]);
    const refused = await remove(shop.businessId);
    expect(refused.json().error.message).toContain('1 API key limited to this business alone would be revoked');
    const response = await remove(shop.businessId, `?confirm=${shop.businessId}`);
    expect(response.json().deleted.keysRevoked).toBe(1);
    expect((await h.call({ method: 'GET', url: '/v1/businesses', key: alone.key })).statusCode).toBe(401);
    const seen = await h.call({ method: 'GET', url: '/v1/businesses', key: shared.key });
    expect(seen.json().businesses.map((b: { id: string }) => b.id)).toEqual([h.tenant.businessId]);
    const row = await h.db.selectFrom('api_keys').select('business_ids').where('id', '=', shared.id).executeTakeFirstOrThrow();
    expect(row.business_ids).toEqual([h.tenant.businessId]);
  });

  test("another account's business, an unknown and a malformed id are not found, confirmed or not", async () => {
    for (const id of [h.stranger.businessId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const query of ['', `?confirm=${id}`]) {
        const response = await remove(id, query);
        expect(response.statusCode, response.body).toBe(404);
        expect(response.json()).toEqual({ error: { code: 'not_found', message: 'business not found' } });
      }
    }
    expect(await h.db.selectFrom('businesses').select('id').where('id', '=', h.stranger.businessId).executeTakeFirst()).toBeDefined();
  });

  test('is for owners only', async () => {
    const shop = await freshSource(h);
    for (const role of ['staff', 'consultant'] as const) {
      const { key } = await addKey(h.db, h.tenant.accountId, role);
      const response = await remove(shop.businessId, `?confirm=${shop.businessId}`, key);
      expect(response.statusCode).toBe(403);
    }
    expect(await h.db.selectFrom('businesses').select('id').where('id', '=', shop.businessId).executeTakeFirst()).toBeDefined();
  });

  test('every table pointing at a business, source, item or key goes with it (cascade) or lets go (set null)', async () => {
    // A table added later with a plain foreign key would make deletes fail: this names it.
    const blocking = await sql<{ name: string }>`
      SELECT conrelid::regclass::text || '.' || conname AS name FROM pg_constraint
      WHERE contype = 'f' AND confrelid::regclass::text IN ('accounts', 'businesses', 'sources', 'items', 'api_keys')
        AND confdeltype NOT IN ('c', 'n')
    `.execute(h.db);
    expect(blocking.rows).toEqual([]);
  });
});
