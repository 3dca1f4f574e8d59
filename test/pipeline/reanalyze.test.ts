import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { analyzeItems } from '../../services/analysis/analyze-items.ts';
import { reanalyzeItems } from '../../services/analysis/reanalyze-items.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { ANALYZER_VERSION } from '../../services/analysis/sentiment/classify-item.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';

let testDb: TestDatabase;
let source: IngestSource;

const mention = (id: string, body: string, hoursAgo: number): NormalizedItem => ({ ...review(id, 1, body, hoursAgo), kind: 'mention', rating: null });

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  // Made as the app makes it, so it has the default alert rule.
  const business = await createBusiness(db, account.id, { name: 'B', timezone: 'UTC', alertEmails: ['o@b.test', 'm@b.test'] });
  source = await db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  const page = await ingestPage(db, source, {
    items: [
      review('sent', 1, 'Cold food and a long wait.'),
      mention('recent', 'Forty minutes on hold and still no refund.', 2),
      mention('old', 'Forty minutes on hold and still no refund.', 24 * 90),
      mention('happy', 'Lovely staff and the best pastries in town!', 3),
    ],
    cursor: null,
  });
  await analyzeItems(db, page.toAnalyze, { alertMaxAgeDays: 14 });
  // What an older analyzer had said: the two complaints were missed, so nothing was
  // flagged or queued for them; the 1-star review's alerts went out.
  const missed = db.selectFrom('items').select('id').where('external_id', 'in', ['recent', 'old']);
  await db.deleteFrom('alert_deliveries').where('item_id', 'in', missed).execute();
  await db.deleteFrom('item_events').where('item_id', 'in', missed).execute();
  await db.updateTable('alert_deliveries').set({ status: 'sent', sent_at: new Date() }).execute();
  await db.updateTable('items').set({ analyzer_version: 'lexicon-1' }).execute();
  await db.updateTable('items').set({ flagged: false, sentiment_label: 'neutral', sentiment_score: 0, topics: [] }).where('external_id', 'in', ['recent', 'old']).execute();
});
afterAll(() => testDb.drop());

const item = (externalId: string) => testDb.db.selectFrom('items').selectAll().where('external_id', '=', externalId).executeTakeFirstOrThrow();
const deliveries = async (externalId: string) =>
  testDb.db
    .selectFrom('alert_deliveries')
    .innerJoin('items', 'items.id', 'alert_deliveries.item_id')
    .select(['alert_deliveries.status', 'alert_deliveries.recipient'])
    .where('items.external_id', '=', externalId)
    .execute();

test('--since limits the run to items first seen since then', async () => {
  const outcome = await reanalyzeItems(testDb.db, { since: new Date(Date.now() + 60_000), alertMaxAgeDays: 14 });
  expect(outcome).toEqual({ rescored: 0, newlyFlagged: 0, deliveriesCreated: 0 });
  expect((await item('recent')).analyzer_version).toBe('lexicon-1');
});

test('re-scores every item an older analyzer judged, and emails only newly flagged items inside the alert window', async () => {
  const progress: Array<[number, number]> = [];
  const outcome = await reanalyzeItems(testDb.db, { alertMaxAgeDays: 14, batchSize: 3, onProgress: (done, total) => progress.push([done, total]) });
  expect(outcome).toEqual({ rescored: 4, newlyFlagged: 2, deliveriesCreated: 2 });
  expect(progress).toEqual([[0, 4], [3, 4], [4, 4]]);

  for (const id of ['sent', 'recent', 'old', 'happy']) expect((await item(id)).analyzer_version).toBe(ANALYZER_VERSION);
  expect(await item('recent')).toMatchObject({ flagged: true, sentiment_label: 'negative', topics: ['wait', 'price'] });
  expect(await item('happy')).toMatchObject({ flagged: false, sentiment_label: 'positive', topics: [] });

  // Alerts already sent are not sent again; the old complaint is flagged but not emailed.
  expect(await deliveries('sent')).toHaveLength(2);
  expect((await deliveries('sent')).every((d) => d.status === 'sent')).toBe(true);
  const queued = await deliveries('recent');
  expect(queued.map((d) => `${d.status} ${d.recipient}`).sort()).toEqual(['pending m@b.test', 'pending o@b.test']);
  expect(await deliveries('old')).toEqual([]);
  const oldEvent = await testDb.db
    .selectFrom('item_events')
    .innerJoin('items', 'items.id', 'item_events.item_id')
    .select('item_events.data')
    .where('items.external_id', '=', 'old')
    .executeTakeFirstOrThrow();
  expect(oldEvent.data).toMatchObject({ alert: 'skipped: older than the alert window', reanalyzed: ANALYZER_VERSION });
});

test('a second run finds nothing to do and creates no deliveries', async () => {
  const before = await testDb.db.selectFrom('alert_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  expect(await reanalyzeItems(testDb.db, { alertMaxAgeDays: 14 })).toEqual({ rescored: 0, newlyFlagged: 0, deliveriesCreated: 0 });
  const after = await testDb.db.selectFrom('alert_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  expect(after.n).toBe(before.n);
});
