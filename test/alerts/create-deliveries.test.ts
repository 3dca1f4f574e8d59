import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDeliveries, recipientsOf } from '../../services/alerts/create-deliveries.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';

let testDb: TestDatabase;
let source: IngestSource;
let itemIds: string[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  const business = await db
    .insertInto('businesses')
    .values({ account_id: account.id, name: 'B', alert_emails: ['Owner@Diner.test', 'ops@diner.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  source = await db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  const page = await ingestPage(db, source, { items: [review('a', 1, 'Cold soup.'), review('b', 2, 'Rude staff.')], cursor: null });
  itemIds = page.toAnalyze;
});
afterAll(() => testDb.drop());

const rows = () => testDb.db.selectFrom('alert_deliveries').select(['id', 'item_id', 'source_id', 'recipient', 'kind', 'incident', 'status']).execute();

test('each alert address is told once, in lower case', () => {
  expect(recipientsOf(['Owner@Diner.test', 'ops@diner.test', 'owner@diner.TEST'])).toEqual(['owner@diner.test', 'ops@diner.test']);
  expect(recipientsOf([])).toEqual([]);
});

test('items: one pending delivery per item and address; asking again creates nothing', async () => {
  const created = await createDeliveries(testDb.db, { kind: 'negative_item', itemIds });
  expect(created).toHaveLength(4);
  const written = (await rows()).filter((row) => row.item_id !== null);
  expect(written.map((row) => row.id).sort()).toEqual([...created].sort());
  expect(written.map((row) => `${row.item_id} ${row.recipient}`).sort()).toEqual(
    itemIds.flatMap((id) => [`${id} owner@diner.test`, `${id} ops@diner.test`]).sort(),
  );
  expect(written.every((row) => row.kind === 'negative_item' && row.source_id === null && row.incident === '' && row.status === 'pending')).toBe(true);

  expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds })).toEqual([]);
  expect(await testDb.db.transaction().execute((tx) => createDeliveries(tx, { kind: 'negative_item', itemIds: [...itemIds].reverse() }))).toEqual([]);
  expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: [] })).toEqual([]);
});

test('a source: one delivery per address and incident; the same incident again creates nothing, a new one does', async () => {
  const first = await createDeliveries(testDb.db, { kind: 'source_needs_attention', sourceId: source.id, incident: '2026-12-01T10:00:00.000Z' });
  expect(first).toHaveLength(2);
  expect(await createDeliveries(testDb.db, { kind: 'source_needs_attention', sourceId: source.id, incident: '2026-12-01T10:00:00.000Z' })).toEqual([]);
  expect(await createDeliveries(testDb.db, { kind: 'source_needs_attention', sourceId: source.id, incident: '2026-12-02T10:00:00.000Z' })).toHaveLength(2);
  expect(await createDeliveries(testDb.db, { kind: 'source_quiet', sourceId: source.id, incident: '2026-12-01T10:00:00.000Z' })).toHaveLength(2);
  const notices = (await rows()).filter((row) => row.source_id === source.id);
  expect(notices).toHaveLength(6);
  expect(notices.every((row) => row.item_id === null && ['owner@diner.test', 'ops@diner.test'].includes(row.recipient))).toBe(true);
});

test('a source or item that no longer exists: no one is told', async () => {
  expect(await createDeliveries(testDb.db, { kind: 'source_quiet', sourceId: crypto.randomUUID(), incident: 'x' })).toEqual([]);
  expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: [crypto.randomUUID()] })).toEqual([]);
});
