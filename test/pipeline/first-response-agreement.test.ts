import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { firstResponseAfter, type FirstResponse, type ResponseSource } from '../../services/inbox/first-response.ts';
import { respondToItem } from '../../services/inbox/item-workflow.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';

// Ingest (a platform reply) and the API (a respond) store what the one earliest-answer
// rule decides, whichever arrives first, in real PostgreSQL.

let testDb: TestDatabase;
let source: IngestSource;
let scope: TenantScope;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  const business = await db.insertInto('businesses').values({ account_id: account.id, name: 'B', alert_emails: ['o@b.test'] }).returning('id').executeTakeFirstOrThrow();
  source = await db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  scope = { accountId: account.id, businessIds: null };
});
afterAll(() => testDb.drop());

const HOUR = 3_600_000;
type Arrival = 'reply first' | 'respond first';
const cases: Array<[Arrival, number, number, ResponseSource]> = [
  // arrival order, reply (hours after publication), respond (hours after publication), who answered first
  ['reply first', 2, 5, 'platform'],
  ['reply first', 5, 2, 'earshot'],
  ['respond first', 2, 5, 'platform'],
  ['respond first', 5, 2, 'earshot'],
  ['reply first', 3, 3, 'platform'],
  ['respond first', 3, 3, 'earshot'],
];

test.each(cases)('%s: reply after %ih, respond after %ih → %s', async (arrival, replyHours, respondHours, expectedSource) => {
  const externalId = crypto.randomUUID();
  const item = review(externalId, 2, 'Cold food.', 48);
  const published = item.publishedAt as Date;
  const reply: FirstResponse = { at: new Date(published.getTime() + replyHours * HOUR), source: 'platform' };
  const respond: FirstResponse = { at: new Date(published.getTime() + respondHours * HOUR), source: 'earshot' };
  const seeReply = () => ingestPage(testDb.db, source, { items: [{ ...item, ownerReply: { text: 'Sorry!', at: reply.at } }], cursor: null }, { saveCursor: false });
  const recordRespond = async () => {
    const row = await testDb.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
    await respondToItem(testDb.db, scope, row.id, { actor: 'desk', at: respond.at });
  };

  if (arrival === 'reply first') {
    await seeReply();
    await recordRespond();
  } else {
    await ingestPage(testDb.db, source, { items: [item], cursor: null }, { saveCursor: false });
    await recordRespond();
    await seeReply();
  }

  const [first, second] = arrival === 'reply first' ? [reply, respond] : [respond, reply];
  const decided = firstResponseAfter(firstResponseAfter(null, first), second);
  expect(decided.source).toBe(expectedSource);
  const stored = await testDb.db
    .selectFrom('items')
    .select(['first_response_at', 'first_response_source', 'status'])
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ first_response_at: decided.at, first_response_source: decided.source, status: 'responded' });
});
