import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { keepBadPage, recordPollFailure } from '../../db/repositories/source-health.ts';
import { analyzeItems } from '../../services/analysis/analyze-items.ts';
import { randomBytes } from 'node:crypto';
import { ingestPage, UnstorableItemError, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';

let testDb: TestDatabase;
let source: IngestSource;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  // Made as the app makes it, so it has the default alert rule.
  const business = await createBusiness(db, account.id, { name: 'B', timezone: 'UTC', alertEmails: ['o@b.test', 'm@b.test'] });
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
  expect(second).toEqual({ toAnalyze: [], inserted: 0, revised: 0, repliesSeen: 0, removed: 0, skipped: [] });
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

function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** An id too large for the unique index: the database refuses it whatever its characters. */
const unindexableId = () => randomBytes(12_000).toString('base64');

test('odd platform values are cleaned and stored, with the rest of their page', async () => {
  const year = (y: number) => {
    const date = new Date(0);
    date.setUTCFullYear(y);
    return date;
  };
  const page = {
    items: [
      review('nul', 2, 'Cold \u0000 soup.'),
      review('half-emoji', 4, 'Nice \uD83D'),
      review('half-star', 1.5, 'Meh.'),
      { ...review('ancient', 5, 'Old.'), publishedAt: year(-10000) },
      { ...review('far-future', 5, 'Later.'), publishedAt: year(275760), updatedAt: year(9999) },
      { ...review('deep', 3, 'Deep.'), raw: { nest: deeplyNested(5000), key: 'a\u0000' } },
      review('complaint', 1, 'The waiter was rude and the food was cold.'),
    ],
    cursor: { after: 'complaint\u0000' },
  };
  const result = await ingestPage(testDb.db, source, page);
  expect(result).toMatchObject({ inserted: 7, skipped: [] });
  const rows = await testDb.db.selectFrom('items').selectAll().where('external_id', 'in', page.items.map((i) => i.externalId)).execute();
  const byId = new Map(rows.map((row) => [row.external_id, row]));
  expect(byId.get('nul')?.body).toBe('Cold \uFFFD soup.');
  expect(byId.get('half-emoji')?.body).toBe('Nice \uFFFD');
  expect(byId.get('half-star')?.rating).toBe(1);
  expect(byId.get('ancient')?.published_at).toBeNull();
  expect(byId.get('far-future')).toMatchObject({ published_at: null, platform_updated_at: null });
  // Undated items sort by when Earshot first saw them.
  expect(Math.abs((byId.get('far-future')?.sort_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  expect(JSON.stringify(byId.get('deep')?.raw)).toContain('nested deeper than');
  expect(byId.get('complaint')?.rating).toBe(1);
  const saved = await testDb.db.selectFrom('sources').select('cursor').where('id', '=', source.id).executeTakeFirstOrThrow();
  expect(saved.cursor).toEqual({ after: 'complaint\uFFFD' });
});

test('an item the database still refuses is kept aside with its reason; the rest of the page and the cursor are stored', async () => {
  const badId = unindexableId();
  const page = { items: [review('before-bad', 1, 'Rude staff.'), review(badId, 1, 'Unstorable.'), review('after-bad', 2, 'Slow service.')], cursor: { page: 'next' } };
  const result = await ingestPage(testDb.db, source, page);
  expect(result).toMatchObject({ inserted: 2, skipped: [badId.slice(0, 999) + '…'] });
  expect(result.toAnalyze).toHaveLength(2);
  const stored = await testDb.db.selectFrom('items').select('external_id').where('external_id', 'in', ['before-bad', 'after-bad']).execute();
  expect(stored).toHaveLength(2);
  const saved = await testDb.db.selectFrom('sources').select('cursor').where('id', '=', source.id).executeTakeFirstOrThrow();
  expect(saved.cursor).toEqual({ page: 'next' });
  const [kept] = await testDb.db.selectFrom('skipped_items').selectAll().where('source_id', '=', source.id).execute();
  expect(kept?.reason).toMatch(/database refused it \(54000\)/);
  expect(kept?.payload).toContain('Unstorable.');

  // The platform shows it again on the next poll: still one row, with the latest time.
  const again = await ingestPage(testDb.db, source, page);
  expect(again).toMatchObject({ inserted: 0, skipped: [expect.any(String)] });
  const rows = await testDb.db.selectFrom('skipped_items').select('skipped_at').where('source_id', '=', source.id).execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.skipped_at.getTime()).toBeGreaterThan(kept!.skipped_at.getTime());
});

test('a pushed batch with an item the database refuses is refused whole, naming the item', async () => {
  const badId = unindexableId();
  const before = await count('items');
  const attempt = ingestPage(testDb.db, source, { items: [review('pushed-ok', 1, 'Bad.'), review(badId, 1, 'x')], cursor: null }, { saveCursor: false, unstorable: 'refuse' });
  await expect(attempt).rejects.toBeInstanceOf(UnstorableItemError);
  await expect(attempt).rejects.toMatchObject({ externalId: badId });
  expect(await count('items')).toBe(before);
});

test("recording a failure never fails on the platform's text: NUL and half emoji in a message or a kept page", async () => {
  await recordPollFailure(testDb.db, source.id, { kind: 'transient', message: 'boom \u0000 \uD83D', needsAttention: false });
  await keepBadPage(testDb.db, source, 'bad \u0000 page', 'payload \u0000 \uDE00');
  const row = await testDb.db.selectFrom('sources').select('last_error_message').where('id', '=', source.id).executeTakeFirstOrThrow();
  expect(row.last_error_message).toBe('boom \uFFFD \uFFFD');
  const [kept] = await testDb.db.selectFrom('source_bad_pages').select(['message', 'payload']).where('source_id', '=', source.id).execute();
  expect(kept).toEqual({ message: 'bad \uFFFD page', payload: 'payload \uFFFD \uFFFD' });
});
