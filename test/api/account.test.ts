import { afterAll, describe, expect, test } from 'vitest';
import { addKey, createApiHarness, freshSource } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

describe('GET /v1/account', () => {
  test("shows the caller's account id, name and what it holds, and the calling key", async () => {
    const shop = await freshSource(h);
    const response = await h.call({ method: 'GET', url: '/v1/account' });
    expect(response.statusCode, response.body).toBe(200);
    const account = await h.db.selectFrom('accounts').selectAll().where('id', '=', h.tenant.accountId).executeTakeFirstOrThrow();
    expect(response.json()).toEqual({
      id: h.tenant.accountId,
      name: 'Alice',
      createdAt: account.created_at.toISOString(),
      counts: { businesses: 2, sources: 2, keys: 1 },
      key: { id: h.tenant.keyId, name: 'Alice owner', role: 'owner', businessIds: null },
    });
    expect(response.body).not.toContain(h.stranger.accountId);

    // Deleting a business is counted at once; a revoked key is not counted.
    await h.call({ method: 'DELETE', url: `/v1/businesses/${shop.businessId}?confirm=${shop.businessId}` });
    const revoked = await addKey(h.db, h.tenant.accountId, 'staff');
    await h.call({ method: 'DELETE', url: `/v1/keys/${revoked.id}` });
    expect((await h.call({ method: 'GET', url: '/v1/account' })).json().counts).toEqual({ businesses: 1, sources: 1, keys: 1 });
  });

  test('any key may ask; a key limited to some businesses counts only those', async () => {
    const other = await freshSource(h);
    for (const role of ['staff', 'consultant'] as const) {
      const { id, key } = await addKey(h.db, h.tenant.accountId, role, [other.businessId]);
      const response = await h.call({ method: 'GET', url: '/v1/account', key });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        id: h.tenant.accountId,
        counts: { businesses: 1, sources: 1 },
        key: { id, role, businessIds: [other.businessId] },
      });
    }
  });

  test('needs a key, and takes no query parameters', async () => {
    expect((await h.call({ method: 'GET', url: '/v1/account', key: null })).statusCode).toBe(401);
    const response = await h.call({ method: 'GET', url: '/v1/account?verbose=1' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.verbose');
  });
});
