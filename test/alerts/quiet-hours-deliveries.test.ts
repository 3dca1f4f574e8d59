/**
 * Instant deliveries written with the time quiet hours hold them until: whose quiet hours
 * (a channel's own; an address's person's, whatever the address's case), read in the
 * item's business's time zone, and which items pass them (1★, or an urgent rule).
 * The routing clock is injected; sending is test/pipeline/quiet-hours.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { updateUserQuietHours } from '../../db/repositories/users.ts';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { createDeliveries } from '../../services/alerts/create-deliveries.ts';
import { addRule } from '../../services/alerts/rules/rule-changes.ts';
import type { AlertRuleInput } from '../../services/alerts/rules/rule-input.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { deriveCredentialsKey } from '../../services/sources/credentials.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';
import { addPerson } from '../support/web.ts';

let testDb: TestDatabase;
let accountId: string;
let otherAccountId: string;

/** 23:00 in London on a winter night (GMT); 18:00 in New York. */
const LONDON_NIGHT = new Date('2026-01-15T23:00:00Z');
/** When the London night ends: 07:00 GMT the next morning. */
const LONDON_MORNING = '2026-01-16T07:00:00.000Z';

beforeAll(async () => {
  testDb = await createTestDatabase();
  accountId = (await testDb.db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
  otherAccountId = (await testDb.db.insertInto('accounts').values({ name: 'Other' }).returning('id').executeTakeFirstOrThrow()).id;
  const nightOwl = await addPerson(testDb.db, accountId, { email: 'Night.Owl@Diner.test', role: 'staff' });
  await updateUserQuietHours(testDb.db, accountId, nightOwl.id, { from: '22:00', to: '07:00' });
  await addPerson(testDb.db, accountId, { email: 'awake@diner.test', role: 'owner' });
  // Another account's person with quiet hours: an address of theirs is not theirs in this account.
  const stranger = await addPerson(testDb.db, otherAccountId, { email: 'stranger@elsewhere.test', role: 'owner' });
  await updateUserQuietHours(testDb.db, otherAccountId, stranger.id, { from: '22:00', to: '07:00' });
});
afterAll(() => testDb.drop());

async function business(timezone: string, alertEmails: string[]): Promise<{ businessId: string; source: IngestSource }> {
  const made = await createBusiness(testDb.db, accountId, { name: `Shop ${crypto.randomUUID()}`, timezone, alertEmails });
  const source = await testDb.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: accountId, business_id: made.id, type: 'trustpilot', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  return { businessId: made.id, source };
}

async function rule(businessId: string, input: AlertRuleInput): Promise<void> {
  if ((await addRule(testDb.db, { accountId, businessIds: null }, businessId, input)) === undefined) throw new Error('business not found');
}

/** Stores flagged items and routes them at `now`; each delivery as "stars recipient → send_after". */
async function routed(source: IngestSource, ratings: number[], now: Date): Promise<string[]> {
  const page = await ingestPage(testDb.db, source, { items: ratings.map((stars) => review(crypto.randomUUID(), stars, 'Cold soup and a long wait.')), cursor: null });
  await testDb.db.updateTable('items').set({ flagged: true, sentiment_label: 'negative', analyzed_at: new Date() }).where('id', 'in', page.toAnalyze).execute();
  await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: page.toAnalyze, now });
  const rows = await testDb.db
    .selectFrom('alert_deliveries as d')
    .innerJoin('items as i', 'i.id', 'd.item_id')
    .select(['i.rating', 'd.recipient', 'd.send_after'])
    .where('d.item_id', 'in', page.toAnalyze)
    .execute();
  return rows.map((row) => `${row.rating}★ ${row.recipient} → ${row.send_after?.toISOString() ?? 'now'}`).sort();
}

test("an alert address that is a person's, in any case, waits for that person's morning; other addresses go now; 1★ goes now", async () => {
  const { source } = await business('Europe/London', ['night.owl@diner.TEST', 'awake@diner.test', 'nobody@diner.test', 'stranger@elsewhere.test']);
  expect(await routed(source, [2, 1], LONDON_NIGHT)).toEqual([
    '1★ awake@diner.test → now',
    '1★ night.owl@diner.test → now',
    '1★ nobody@diner.test → now',
    '1★ stranger@elsewhere.test → now',
    '2★ awake@diner.test → now',
    `2★ night.owl@diner.test → ${LONDON_MORNING}`,
    '2★ nobody@diner.test → now',
    '2★ stranger@elsewhere.test → now',
  ]);
});

test("quiet hours are read in the item's business's time zone, and not at all outside them", async () => {
  const { source } = await business('America/New_York', ['night.owl@diner.test']);
  // 18:00 in New York: not quiet. 23:00 there (04:00 UTC) is, until 07:00 EST (12:00 UTC).
  expect(await routed(source, [2], LONDON_NIGHT)).toEqual(['2★ night.owl@diner.test → now']);
  expect(await routed(source, [2], new Date('2026-01-16T04:00:00Z'))).toEqual(['2★ night.owl@diner.test → 2026-01-16T12:00:00.000Z']);
});

test('a {userId} rule follows its person; an urgent rule lets its recipient through; a channel holds by its own quiet hours', async () => {
  const { businessId, source } = await business('Europe/London', []);
  const person = await testDb.db.selectFrom('users').select('id').where('email', '=', 'Night.Owl@Diner.test').executeTakeFirstOrThrow();
  const store = { db: testDb.db, credentialsKey: deriveCredentialsKey('quiet-hours-test-secret-0123456789abcdef'), allowPrivateUrls: false };
  const quietChannel = await addChannel(store, accountId, { type: 'email', name: 'Kitchen list', config: { to: ['kitchen@diner.test'] }, quietHours: { from: '21:00', to: '06:30' } });
  const loudChannel = await addChannel(store, accountId, { type: 'email', name: 'Managers', config: { to: ['managers@diner.test'] } });
  await rule(businessId, { to: { userId: person.id }, delivery: 'instant' });
  await rule(businessId, { to: { channelId: quietChannel.channel.id }, delivery: 'instant' });
  await rule(businessId, { to: { channelId: loudChannel.channel.id }, delivery: 'instant' });
  // Urgent for the channel when an item mentions a refund; the same channel's ordinary rule also matches.
  await rule(businessId, { to: { channelId: quietChannel.channel.id }, delivery: 'instant', urgent: true, when: { keywords: ['refund'] } });

  expect(await routed(source, [2], LONDON_NIGHT)).toEqual([
    `2★ channel:${loudChannel.channel.id} → now`,
    `2★ channel:${quietChannel.channel.id} → 2026-01-16T06:30:00.000Z`,
    `2★ night.owl@diner.test → ${LONDON_MORNING}`,
  ].sort());

  const page = await ingestPage(testDb.db, source, { items: [review(crypto.randomUUID(), 2, 'I want a refund.')], cursor: null });
  await testDb.db.updateTable('items').set({ flagged: true, sentiment_label: 'negative', analyzed_at: new Date() }).where('id', 'in', page.toAnalyze).execute();
  await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: page.toAnalyze, now: LONDON_NIGHT });
  const refund = await testDb.db.selectFrom('alert_deliveries').select(['recipient', 'send_after']).where('item_id', 'in', page.toAnalyze).execute();
  expect(Object.fromEntries(refund.map((row) => [row.recipient, row.send_after?.toISOString() ?? null]))).toEqual({
    [`channel:${quietChannel.channel.id}`]: null,
    [`channel:${loudChannel.channel.id}`]: null,
    'night.owl@diner.test': LONDON_MORNING,
  });
});
