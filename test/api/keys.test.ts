import { afterAll, describe, expect, test } from 'vitest';
import { hashApiKey } from '../../services/keys/api-key-secret.ts';
import { addKey, createApiHarness } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const createKey = (payload: object, key?: string) => h.call({ method: 'POST', url: '/v1/keys', payload, key });

describe('POST /v1/keys', () => {
  test('returns the secret once, stores only its hash, and the new key works with its role', async () => {
    const response = await createKey({ role: 'consultant', name: 'Agency reports', businessIds: [h.tenant.businessId] });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      id: expect.any(String),
      name: 'Agency reports',
      role: 'consultant',
      businessIds: [h.tenant.businessId],
      prefix: body.key.slice(0, 10),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
      key: expect.stringMatching(/^esk_[A-Za-z0-9_-]{43}$/),
    });
    const row = await h.db.selectFrom('api_keys').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashApiKey(body.key));
    expect(JSON.stringify(row)).not.toContain(body.key);

    expect((await h.call({ method: 'GET', url: '/v1/businesses', key: body.key })).statusCode).toBe(200);
    expect((await h.call({ method: 'POST', url: '/v1/businesses', payload: { name: 'X', alertEmails: ['a@example.com'] }, key: body.key })).statusCode).toBe(403);
  });

  test('a business of another account reads like an unknown id, naming the field', async () => {
    for (const businessId of [h.stranger.businessId, '00000000-0000-4000-8000-000000000000']) {
      const response = await createKey({ role: 'staff', name: 'Desk', businessIds: [h.tenant.businessId, businessId] });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: { code: 'validation_failed', field: 'body.businessIds[1]', message: 'body.businessIds[1] is not a business of this account' },
      });
    }
  });

  test('bad input is a 400 naming the field', async () => {
    const cases: [object, string][] = [
      [{ role: 'admin', name: 'x' }, 'body.role'],
      [{ role: 'staff' }, 'body.name'],
      [{ role: 'staff', name: '   ' }, 'body.name'],
      [{ role: 'staff', name: 'x', businessIds: [] }, 'body.businessIds'],
      [{ role: 'staff', name: 'x', businessIds: ['nope'] }, 'body.businessIds[0]'],
    ];
    for (const [payload, field] of cases) {
      const response = await createKey(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
  });

  test('only owner keys for the whole account manage keys', async () => {
    for (const [role, scope] of [['staff', undefined], ['consultant', undefined], ['owner', [h.tenant.businessId]]] as const) {
      const { key } = await addKey(h.db, h.tenant.accountId, role, scope && [...scope]);
      expect((await createKey({ role: 'owner', name: 'escalate' }, key)).statusCode, role).toBe(403);
      expect((await h.call({ method: 'GET', url: '/v1/keys', key })).statusCode, role).toBe(403);
    }
  });
});

describe('GET /v1/keys', () => {
  test("lists the account's keys without secrets, and none of another account's", async () => {
    const created = (await createKey({ role: 'staff', name: 'Front desk' })).json();
    const response = await h.call({ method: 'GET', url: '/v1/keys' });
    expect(response.statusCode).toBe(200);
    const { keys, accountId } = response.json();
    expect(accountId).toBe(h.tenant.accountId);
    expect(keys.map((k: { id: string }) => k.id)).toContain(created.id);
    expect(keys.map((k: { id: string }) => k.id)).not.toContain(h.stranger.keyId);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['businessIds', 'createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
    expect(JSON.stringify(keys)).not.toContain(created.key);
    const own = keys.find((k: { id: string }) => k.id === h.tenant.keyId);
    expect(own.lastUsedAt).not.toBeNull();
  });
});

describe('DELETE /v1/keys/:id', () => {
  test('revokes: the key stops working at once and is listed as revoked; again is a no-op', async () => {
    const created = (await createKey({ role: 'staff', name: 'Temp' })).json();
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${created.id}` })).statusCode).toBe(204);
    expect((await h.call({ method: 'GET', url: '/v1/businesses', key: created.key })).statusCode).toBe(401);
    const listed = (await h.call({ method: 'GET', url: '/v1/keys' })).json().keys.find((k: { id: string }) => k.id === created.id);
    expect(listed.revokedAt).not.toBeNull();
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${created.id}` })).statusCode).toBe(204);
  });

  test("another account's key, an unknown id and a malformed id are all 404", async () => {
    for (const id of [h.stranger.keyId, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const response = await h.call({ method: 'DELETE', url: `/v1/keys/${id}` });
      expect(response.statusCode, id).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const strangerStillWorks = await h.call({ method: 'GET', url: '/v1/businesses', key: h.stranger.key });
    expect(strangerStillWorks.statusCode).toBe(200);
  });

  test('the last owner key for the whole account cannot be revoked', async () => {
    const account = await h.db.insertInto('accounts').values({ name: 'Solo' }).returning('id').executeTakeFirstOrThrow();
    const only = await addKey(h.db, account.id, 'owner');
    const response = await h.call({ method: 'DELETE', url: `/v1/keys/${only.id}`, key: only.key });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({ code: 'conflict', message: expect.stringContaining('create another owner key') });

    const second = (await createKey({ role: 'owner', name: 'Second owner' }, only.key)).json();
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${only.id}`, key: only.key })).statusCode).toBe(204);
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${second.id}`, key: second.key })).statusCode).toBe(409);
  });
});
