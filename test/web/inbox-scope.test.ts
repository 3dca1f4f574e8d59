import { afterAll, expect, test } from 'vitest';
import { loadInboxScope } from '../../db/repositories/inbox-queries.ts';
import { createApiHarness, freshSource } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

test('the inbox reads the businesses in scope, their sources in the order they were added, and the database clock in one query', async () => {
  const first = await freshSource(h);
  const second = await freshSource(h);
  const all = await loadInboxScope(h.db, { accountId: h.tenant.accountId, businessIds: null });
  expect(all.businesses.map((business) => business.id)).toEqual(expect.arrayContaining([first.businessId, second.businessId]));
  expect(all.businesses.at(-1)).toMatchObject({ id: second.businessId, name: 'Shop', timezone: 'UTC', slaHours: expect.any(Number) });
  expect(all.businesses.at(-1)!.createdAt).toBeInstanceOf(Date);
  expect(all.sources.slice(-2)).toEqual([
    { id: first.sourceId, businessId: first.businessId, type: 'test_platform' },
    { id: second.sourceId, businessId: second.businessId, type: 'test_platform' },
  ]);
  expect(Math.abs(all.now.getTime() - Date.now())).toBeLessThan(60_000);

  const one = await loadInboxScope(h.db, { accountId: h.tenant.accountId, businessIds: [second.businessId] });
  expect(one.businesses.map((business) => business.id)).toEqual([second.businessId]);
  expect(one.sources).toEqual([{ id: second.sourceId, businessId: second.businessId, type: 'test_platform' }]);
});

test('a person with no business in scope still gets the clock, and nothing else', async () => {
  const none = await loadInboxScope(h.db, { accountId: h.tenant.accountId, businessIds: [] });
  expect(none.businesses).toEqual([]);
  expect(none.sources).toEqual([]);
  expect(none.now).toBeInstanceOf(Date);
});
