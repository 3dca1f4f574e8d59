import { afterAll, describe, expect, test } from 'vitest';
import { createApiHarness } from '../support/api.ts';

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

  test('an unknown query parameter is refused', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}?expand=sources` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.expand');
  });
});
