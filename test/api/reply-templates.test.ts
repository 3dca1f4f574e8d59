import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addKey, createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';

let h: ApiHarness & { testDb: TestDatabase };

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h.close());

const url = (businessId = h.tenant.businessId) => `/v1/businesses/${businessId}/reply-templates`;

describe('reply templates API', () => {
  test('an owner adds, lists and deletes templates; everyone who sees the business lists them', async () => {
    const created = await h.call({ method: 'POST', url: url(), payload: { name: ' Sorry ', body: 'Dear {first_name}, we are sorry.', defaultRatings: { min: 1, max: 2 } } });
    expect(created.statusCode).toBe(201);
    const template = created.json();
    expect(template).toMatchObject({ name: 'Sorry', body: 'Dear {first_name}, we are sorry.', defaultRatings: { min: 1, max: 2 }, businessId: h.tenant.businessId });
    const plain = await h.call({ method: 'POST', url: url(), payload: { name: 'Thanks', body: 'Thank you!' } });
    expect(plain.json().defaultRatings).toBeNull();

    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant');
    const listed = await h.call({ method: 'GET', url: url(), key: consultant.key });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().templates.map((t: { name: string }) => t.name)).toEqual(['Sorry', 'Thanks']);

    const deleted = await h.call({ method: 'DELETE', url: `${url()}/${template.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await h.call({ method: 'DELETE', url: `${url()}/${template.id}` })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: url() })).json().templates).toHaveLength(1);
  });

  test('refusals name the field', async () => {
    const unknown = await h.call({ method: 'POST', url: url(), payload: { name: 'Odd', body: 'Hi {name}' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'validation_failed', field: 'body.body' });
    const reversed = await h.call({ method: 'POST', url: url(), payload: { name: 'Odd', body: 'Hi', defaultRatings: { min: 4, max: 2 } } });
    expect(reversed.json().error.field).toBe('body.defaultRatings.max');
    await h.call({ method: 'POST', url: url(), payload: { name: 'Twice', body: 'Hi' } });
    const twice = await h.call({ method: 'POST', url: url(), payload: { name: 'Twice', body: 'Hello' } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.field).toBe('body.name');
  });

  test('staff cannot change templates; another account cannot see them', async () => {
    const staff = await addKey(h.db, h.tenant.accountId, 'staff');
    expect((await h.call({ method: 'POST', url: url(), key: staff.key, payload: { name: 'Mine', body: 'Hi' } })).statusCode).toBe(403);
    expect((await h.call({ method: 'GET', url: url(), key: h.stranger.key })).statusCode).toBe(404);
    expect((await h.call({ method: 'POST', url: url(), key: h.stranger.key, payload: { name: 'Theirs', body: 'Hi' } })).statusCode).toBe(404);
    const ours = (await h.call({ method: 'GET', url: url() })).json().templates[0];
    expect((await h.call({ method: 'DELETE', url: `${url(h.stranger.businessId)}/${ours.id}`, key: h.stranger.key })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: url() })).json().templates.map((t: { id: string }) => t.id)).toContain(ours.id);
  });
});
