import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { analyzeItems } from '../../services/analysis/analyze-items.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';

let testDb: TestDatabase;
let source: IngestSource;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  const business = await db.insertInto('businesses').values({ account_id: account.id, name: 'B', alert_emails: ['o@b.test', 'm@b.test'] }).returning('id').executeTakeFirstOrThrow();
  const row = await db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  source = row;
});
afterAll(() => testDb.drop());

const count = async (table: 'items' | 'item_events' | 'item_revisions' | 'alert_deliveries') =>
  Number((await testDb.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('the same page twice stores each item once and asks for no second analysis', async () => {
  const page = { items: [review('a', 5, 'Great.'), review('b', 1, 'Awful.')], cursor: { seen: 2 } };
  const first = await ingestPage(testDb.db, source, page);
  expect(first).toMatchObject({ inserted: 2, revised: 0 });
  expect(first.toAnalyze).toHaveLength(2);
  const second = await ingestPage(testDb.db, source, page);
  expect(second).toEqual({ toAnalyze: [], inserted: 0, revised: 0, repliesSeen: 0, removed: 0 });
  expect(await count('items')).toBe(2);
  // Detection is the item's own first_seen_at, not an event row.
  expect(await count('item_events')).toBe(0);
  const saved = await testDb.db.selectFrom('sources').select('cursor').where('id', '=', source.id).executeTakeFirstOrThrow();
  expect(saved.cursor).toEqual({ seen: 2 });
});

test('analysis flags the 1-star item and creates one delivery per address, once', async () => {
  const ids = (await testDb.db.selectFrom('items').select('id').execute()).map((r) => r.id);
  const first = await analyzeItems(testDb.db, ids, { alertMaxAgeDays: 14 });
  expect(first).toMatchObject({ analyzed: 2, flagged: 1 });
  expect(first.deliveryIds).toHaveLength(2);
  const again = await analyzeItems(testDb.db, ids, { alertMaxAgeDays: 14 });
  expect(again).toEqual({ analyzed: 0, flagged: 0, deliveryIds: [] });
  expect(await count('alert_deliveries')).toBe(2);
});

test('an edited review records a revision and is judged again, without a second alert', async () => {
  const edited: NormalizedItem = { ...review('b', 2, 'Awful, and they never called back.'), updatedAt: new Date() };
  const result = await ingestPage(testDb.db, source, { items: [edited], cursor: null });
  expect(result.revised).toBe(1);
  const [revision] = await testDb.db.selectFrom('item_revisions').selectAll().execute();
  expect(revision).toMatchObject({ rating_before: 1, rating_after: 2, body_before: 'Awful.', body_after: 'Awful, and they never called back.' });
  const outcome = await analyzeItems(testDb.db, result.toAnalyze, { alertMaxAgeDays: 14 });
  expect(outcome).toMatchObject({ analyzed: 1, flagged: 0, deliveryIds: [] });
  expect(await count('alert_deliveries')).toBe(2);
});

test("an owner reply seen on the platform sets the item's first response", async () => {
  const replyAt = new Date(Date.now() - 30 * 60_000);
  const replied = { ...review('b', 2, 'Awful, and they never called back.'), ownerReply: { text: 'Sorry, we will call you.', at: replyAt } };
  const result = await ingestPage(testDb.db, source, { items: [replied], cursor: null });
  expect(result).toMatchObject({ repliesSeen: 1, revised: 0, toAnalyze: [] });
  const item = await testDb.db.selectFrom('items').selectAll().where('external_id', '=', 'b').executeTakeFirstOrThrow();
  expect(item).toMatchObject({ status: 'responded', first_response_source: 'platform', owner_reply_text: 'Sorry, we will call you.' });
  expect(item.first_response_at?.getTime()).toBe(replyAt.getTime());
  const again = await ingestPage(testDb.db, source, { items: [replied], cursor: null });
  expect(again.repliesSeen).toBe(0);
});

test('a bad review first seen long after it was written is flagged but not emailed', async () => {
  const old = await ingestPage(testDb.db, source, { items: [review('old', 1, 'Dreadful.', 24 * 60)], cursor: null });
  const outcome = await analyzeItems(testDb.db, old.toAnalyze, { alertMaxAgeDays: 14 });
  expect(outcome).toMatchObject({ flagged: 1, deliveryIds: [] });
});
