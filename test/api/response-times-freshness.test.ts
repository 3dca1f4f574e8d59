/**
 * The response-time API keeps item facts in memory between requests. Every answer
 * must still reflect everything committed before the request, whoever wrote it:
 * this API, another process, or a transaction that began before the last read and
 * committed after it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'kysely';
import { pruneFactChanges } from '../../db/repositories/response-facts.ts';
import { createResponseFactsCache, type ScopedFacts } from '../../services/response-times/response-facts-cache.ts';
import { createApiHarness, freshSource, insertItem, type TestItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

let shop: TestItem;
beforeAll(async () => {
  shop = await freshSource(h);
});

async function figures(groupBy = 'business'): Promise<Array<Record<string, unknown>>> {
  const response = await h.call({ method: 'GET', url: `/v1/metrics/response-times?businessId=${shop.businessId}&groupBy=${groupBy}` });
  expect(response.statusCode).toBe(200);
  return response.json().groups;
}

const at = (iso: string) => new Date(iso);

test('items added, answered, moved between months and deleted by other writers are seen on the next request', async () => {
  const first = await insertItem(h.db, shop, { published_at: at('2026-05-04T10:00:00Z') });
  expect(await figures()).toEqual([expect.objectContaining({ items: 1, responded: 0 })]);

  // Answered on the platform, written straight to PostgreSQL as a poll would.
  await h.db.updateTable('items').set({ first_response_at: at('2026-05-04T12:00:00Z'), first_response_source: 'platform' }).where('id', '=', first).execute();
  expect(await figures()).toEqual([expect.objectContaining({ items: 1, responded: 1, medianSeconds: 7_200 })]);

  // Another month.
  const second = await insertItem(h.db, shop, { published_at: at('2026-06-10T08:00:00Z') });
  expect(await figures('month')).toEqual([
    expect.objectContaining({ key: '2026-05-01', items: 1 }),
    expect.objectContaining({ key: '2026-06-01', items: 1 }),
  ]);

  // Answered through the API: the responder is the key's name.
  const responded = await h.call({ method: 'POST', url: `/v1/items/${second}/respond`, payload: { at: '2026-06-10T09:00:00Z' } });
  expect(responded.statusCode).toBe(200);
  const byResponder = await figures('responder');
  expect(byResponder.map((g) => [g.key, g.items])).toEqual([
    [expect.not.stringMatching(/^(platform|earshot)$/), 1],
    ['platform', 1],
  ]);

  // The platform corrects a date: the item leaves May for June.
  await h.db.updateTable('items').set({ published_at: at('2026-06-01T00:00:00Z') }).where('id', '=', first).execute();
  expect(await figures('month')).toEqual([expect.objectContaining({ key: '2026-06-01', items: 2 })]);

  await h.db.deleteFrom('items').where('id', '=', second).execute();
  expect(await figures('month')).toEqual([expect.objectContaining({ key: '2026-06-01', items: 1 })]);
});

test('a transaction that began before a request and commits after it is seen by the next request', async () => {
  const before = Number((await figures())[0]?.items ?? 0);
  let commit!: () => void;
  const released = new Promise<void>((resolve) => (commit = resolve));
  let written!: () => void;
  const wrote = new Promise<void>((resolve) => (written = resolve));
  const slowWriter = h.db.transaction().execute(async (trx) => {
    await insertItem(trx, shop, { published_at: at('2026-06-20T08:00:00Z') });
    written();
    await released;
  });
  await wrote;
  // Not committed yet: not counted.
  expect(await figures()).toEqual([expect.objectContaining({ items: before })]);
  commit();
  await slowWriter;
  expect(await figures()).toEqual([expect.objectContaining({ items: before + 1 })]);
});

test('the change log is pruned by age, and a reader that has been away re-reads whole', async () => {
  await insertItem(h.db, shop, { published_at: at('2026-07-01T08:00:00Z') });
  const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM response_fact_changes`.execute(h.db)).rows[0]!.n);
  expect(await figures()).toEqual([expect.objectContaining({ items: 3 })]);
  expect(await count()).toBeGreaterThan(0);
  expect(await pruneFactChanges(h.db, new Date(Date.now() - 3_600_000))).toBe(0);
  expect(await pruneFactChanges(h.db, new Date(Date.now() + 1_000))).toBeGreaterThan(0);
  expect(await count()).toBe(0);
  expect(await figures()).toEqual([expect.objectContaining({ items: 3 })]);

  // A reader last here 13 hours ago: changes since may have left the log, so it reads the business again.
  let now = Date.now();
  const cache = createResponseFactsCache(() => now);
  const scope = { accountId: h.tenant.accountId, businessIds: null };
  expect(itemsIn(await cache.read(h.db, scope, [shop.businessId]))).toBe(3);
  await insertItem(h.db, shop, { published_at: at('2026-07-02T08:00:00Z') });
  await pruneFactChanges(h.db, new Date(Date.now() + 1_000));
  now += 13 * 3_600_000;
  expect(itemsIn(await cache.read(h.db, scope, [shop.businessId]))).toBe(4);
});

function itemsIn(facts: ScopedFacts): number {
  return facts.chunks.reduce((sum, chunk) => sum + chunk.cohortMs.length, 0);
}
