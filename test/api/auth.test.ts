import { afterAll, describe, expect, test } from 'vitest';
import { revokeApiKey } from '../../db/repositories/api-keys.ts';
import { addKey, createApiHarness, insertItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const itemId = await insertItem(h.db, h.tenant);
const { businessId, sourceId } = h.tenant;

const protectedRoutes = [
  { method: 'POST', url: '/v1/businesses', payload: { name: 'Cafe', alertEmails: ['a@example.com'] } },
  { method: 'GET', url: '/v1/businesses' },
  { method: 'GET', url: `/v1/businesses/${businessId}` },
  { method: 'POST', url: `/v1/businesses/${businessId}/sources`, payload: { type: 'x', config: {} } },
  { method: 'GET', url: `/v1/businesses/${businessId}/sources` },
  { method: 'GET', url: `/v1/sources/${sourceId}` },
  { method: 'POST', url: `/v1/sources/${sourceId}/poll` },
  { method: 'GET', url: '/v1/items' },
  { method: 'GET', url: `/v1/items/${itemId}` },
  { method: 'POST', url: `/v1/items/${itemId}/respond`, payload: {} },
  { method: 'POST', url: `/v1/items/${itemId}/resolve`, payload: {} },
] as const;

describe.each(protectedRoutes)('$method $url', (route) => {
  test('without a key: 401 with a Bearer challenge', async () => {
    const response = await h.call({ ...route, key: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="earshot"');
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
  });

  test('with a wrong key: 401 invalid_token', async () => {
    const response = await h.call({ ...route, key: 'esk_not-a-real-key' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(response.json().error.code).toBe('unauthorized');
  });
});

test('a revoked key is refused', async () => {
  const { id, key } = await addKey(h.db, h.tenant.accountId, 'owner');
  expect((await h.call({ method: 'GET', url: '/v1/businesses', key })).statusCode).toBe(200);
  expect(await revokeApiKey(h.db, h.tenant.accountId, id)).toBe(true);
  const response = await h.call({ method: 'GET', url: '/v1/businesses', key });
  expect(response.statusCode).toBe(401);
  expect(response.json().error.code).toBe('unauthorized');
});

test('another scheme than Bearer is refused', async () => {
  const response = await h.call({ method: 'GET', url: '/v1/businesses', key: null, headers: { authorization: `Basic ${h.tenant.key}` } });
  expect(response.statusCode).toBe(401);
});

test('a stranger hears 401 before any validation of what they sent', async () => {
  const response = await h.call({ method: 'POST', url: '/v1/businesses', payload: { nonsense: true }, key: null });
  expect(response.statusCode).toBe(401);
});

test('last use is recorded at most once a minute', async () => {
  const lastUsed = async () =>
    (await h.db.selectFrom('api_keys').select('last_used_at').where('id', '=', h.tenant.keyId).executeTakeFirstOrThrow()).last_used_at;
  await h.db.updateTable('api_keys').set({ last_used_at: null }).where('id', '=', h.tenant.keyId).execute();

  await h.call({ method: 'GET', url: '/v1/businesses' });
  const first = await lastUsed();
  expect(first).toBeInstanceOf(Date);
  await h.call({ method: 'GET', url: '/v1/businesses' });
  expect(await lastUsed()).toEqual(first);

  const twoMinutesAgo = new Date(Date.now() - 120_000);
  await h.db.updateTable('api_keys').set({ last_used_at: twoMinutesAgo }).where('id', '=', h.tenant.keyId).execute();
  await h.call({ method: 'GET', url: '/v1/businesses' });
  expect((await lastUsed())!.getTime()).toBeGreaterThan(twoMinutesAgo.getTime() + 60_000);
});

describe('roles', () => {
  test('a consultant key reads but cannot change anything', async () => {
    const { key } = await addKey(h.db, h.tenant.accountId, 'consultant');
    expect((await h.call({ method: 'GET', url: `/v1/items/${itemId}`, key })).statusCode).toBe(200);
    for (const route of [protectedRoutes[0], protectedRoutes[3], protectedRoutes[6], protectedRoutes[9], protectedRoutes[10]]) {
      const response = await h.call({ ...route, key });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });

  test('a staff key works the inbox but does not add businesses', async () => {
    const { key } = await addKey(h.db, h.tenant.accountId, 'staff');
    expect((await h.call({ method: 'POST', url: `/v1/items/${itemId}/respond`, payload: {}, key })).statusCode).toBe(200);
    expect((await h.call({ ...protectedRoutes[0], key })).statusCode).toBe(403);
  });
});

describe('business scope', () => {
  test('a key limited to one business sees only that business and its items', async () => {
    const other = await h.call({ method: 'POST', url: '/v1/businesses', payload: { name: 'Second shop', alertEmails: ['b@example.com'] } });
    const otherId: string = other.json().id;
    const { key } = await addKey(h.db, h.tenant.accountId, 'owner', [businessId]);

    const list = await h.call({ method: 'GET', url: '/v1/businesses', key });
    expect(list.json().businesses.map((b: { id: string }) => b.id)).toEqual([businessId]);
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${otherId}`, key })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/items?businessId=${otherId}`, key })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/items/${itemId}`, key })).statusCode).toBe(200);
  });

  test('a key limited to no business sees nothing', async () => {
    const { key } = await addKey(h.db, h.tenant.accountId, 'owner', []);
    expect((await h.call({ method: 'GET', url: '/v1/businesses', key })).json()).toEqual({ businesses: [] });
    expect((await h.call({ method: 'GET', url: `/v1/items/${itemId}`, key })).statusCode).toBe(404);
  });

  test('a limited key cannot add businesses it would not see', async () => {
    const { key } = await addKey(h.db, h.tenant.accountId, 'owner', [businessId]);
    expect((await h.call({ ...protectedRoutes[0], key })).statusCode).toBe(403);
  });
});
