import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { migrations } from '../../db/migrations/index.ts';
import type { SentimentLabel } from '../../db/schema.ts';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { createDeliveries } from '../../services/alerts/create-deliveries.ts';
import { recipientsOf } from '../../services/alerts/notice-audience.ts';
import { addRule } from '../../services/alerts/rules/rule-changes.ts';
import type { AlertRuleInput } from '../../services/alerts/rules/rule-input.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { deriveCredentialsKey } from '../../services/sources/credentials.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { review } from '../support/items.ts';
import { addPerson } from '../support/web.ts';

let testDb: TestDatabase;
let accountId: string;
let source: IngestSource;
let itemIds: string[];

/** The business exists before alert rules did: its default rule comes from the migration that added them. */
beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const down = await migrator.migrateTo('2026-12-07T2200_delivery_channels');
  if (down.error) throw down.error;
  const account = await db.insertInto('accounts').values({ name: 'A' }).returning('id').executeTakeFirstOrThrow();
  accountId = account.id;
  const business = await db
    .insertInto('businesses')
    .values({ account_id: account.id, name: 'B', alert_emails: ['Owner@Diner.test', 'ops@diner.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const up = await migrator.migrateToLatest();
  if (up.error) throw up.error;
  source = await db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  itemIds = await judged(source, [review('a', 1, 'Cold soup.'), review('b', 2, 'Rude staff.')]);
});
afterAll(() => testDb.drop());

/** Stores the items and records the verdict analysis would (flagged negative unless told otherwise). */
async function judged(into: IngestSource, items: ReturnType<typeof review>[], verdict: { flagged: boolean; label: SentimentLabel } = { flagged: true, label: 'negative' }): Promise<string[]> {
  const page = await ingestPage(testDb.db, into, { items, cursor: null });
  await testDb.db.updateTable('items').set({ flagged: verdict.flagged, sentiment_label: verdict.label, analyzed_at: new Date() }).where('id', 'in', page.toAnalyze).execute();
  return page.toAnalyze;
}

/** A business of its own made the way the API makes one, with a source, so counts see only its items. */
async function freshBusiness(alertEmails: string[]): Promise<{ businessId: string; source: IngestSource }> {
  const business = await createBusiness(testDb.db, accountId, { name: `Shop ${crypto.randomUUID()}`, timezone: 'UTC', alertEmails });
  const added = await testDb.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: accountId, business_id: business.id, type: 'trustpilot', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  return { businessId: business.id, source: added };
}

async function rule(businessId: string, input: AlertRuleInput): Promise<void> {
  const added = await addRule(testDb.db, { accountId, businessIds: null }, businessId, input);
  if (added === undefined) throw new Error('business not found');
}

const rows = () => testDb.db.selectFrom('alert_deliveries').select(['id', 'item_id', 'source_id', 'channel_id', 'recipient', 'kind', 'incident', 'status']).execute();

async function sentTo(ids: string[]): Promise<string[]> {
  const written = (await rows()).filter((row) => ids.includes(row.item_id ?? ''));
  return written.map((row) => `${ids.indexOf(row.item_id!)} ${row.recipient}`).sort();
}

test('each alert address is told once, in lower case', () => {
  expect(recipientsOf(['Owner@Diner.test', 'ops@diner.test', 'owner@diner.TEST'])).toEqual(['owner@diner.test', 'ops@diner.test']);
  expect(recipientsOf([])).toEqual([]);
});

test('existing businesses and new ones alike start with the two default rules: flagged items at once, what could not be judged in the daily digest', async () => {
  const { businessId } = await freshBusiness(['x@shop.test']);
  const rules = await testDb.db.selectFrom('alert_rules').select(['business_id', 'name', 'conditions', 'target', 'delivery', 'urgent']).execute();
  for (const business of [source.business_id, businessId]) {
    expect(rules.filter((row) => row.business_id === business)).toEqual([
      { business_id: business, name: 'Flagged items to the alert addresses', conditions: { flaggedOnly: true }, target: { alertAddresses: true }, delivery: 'instant', urgent: false },
      {
        business_id: business,
        name: 'Items Earshot could not judge, in the daily digest',
        conditions: { sentiments: ['unknown'], flaggedOnly: false },
        target: { alertAddresses: true },
        delivery: 'daily',
        urgent: false,
      },
    ]);
  }
});

describe('the default rule: as before rules existed', () => {
  test('items: one pending delivery per item and address; asking again creates nothing', async () => {
    const created = await createDeliveries(testDb.db, { kind: 'negative_item', itemIds });
    expect(created).toHaveLength(4);
    const written = (await rows()).filter((row) => row.item_id !== null);
    expect(written.map((row) => row.id).sort()).toEqual([...created].sort());
    expect(written.map((row) => `${row.item_id} ${row.recipient}`).sort()).toEqual(
      itemIds.flatMap((id) => [`${id} owner@diner.test`, `${id} ops@diner.test`]).sort(),
    );
    expect(written.every((row) => row.kind === 'negative_item' && row.source_id === null && row.channel_id === null && row.incident === '' && row.status === 'pending')).toBe(true);

    expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds })).toEqual([]);
    expect(await testDb.db.transaction().execute((tx) => createDeliveries(tx, { kind: 'negative_item', itemIds: [...itemIds].reverse() }))).toEqual([]);
    expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: [] })).toEqual([]);
  });
});

describe('rules', () => {
  test('a rule for 1★ to an email tells that address of the 1★ item only; the alert addresses still hear of both', async () => {
    const shop = await freshBusiness(['o@shop.test']);
    await rule(shop.businessId, { when: { ratingMax: 1 }, to: { email: 'Manager@Shop.test' }, delivery: 'instant' });
    const ids = await judged(shop.source, [review('one', 1, 'Awful.'), review('two', 2, 'Bad.')]);
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: ids });
    expect(await sentTo(ids)).toEqual(['0 manager@shop.test', '0 o@shop.test', '1 o@shop.test']);
  });

  test('two rules naming the same address, and an address also on the alert list: one delivery each', async () => {
    const shop = await freshBusiness(['o@shop.test']);
    await rule(shop.businessId, { when: { ratingMax: 2 }, to: { email: 'm@shop.test' }, delivery: 'instant' });
    await rule(shop.businessId, { when: { keywords: ['soup'] }, to: { email: 'M@shop.test' }, delivery: 'instant', urgent: true });
    await rule(shop.businessId, { to: { email: 'O@SHOP.test' }, delivery: 'instant' });
    const ids = await judged(shop.source, [review('soup', 1, 'Cold soup.')]);
    expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: ids })).toHaveLength(2);
    expect(await sentTo(ids)).toEqual(['0 m@shop.test', '0 o@shop.test']);
  });

  test('without the default rule the alert addresses are not told; daily and weekly rules write nothing at once', async () => {
    const shop = await freshBusiness(['o@shop.test']);
    await testDb.db.deleteFrom('alert_rules').where('business_id', '=', shop.businessId).execute();
    await rule(shop.businessId, { to: { alertAddresses: true }, delivery: 'daily' });
    await rule(shop.businessId, { to: { email: 'w@shop.test' }, delivery: 'weekly' });
    const ids = await judged(shop.source, [review('quiet', 1, 'Awful.')]);
    expect(await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: ids })).toEqual([]);
  });

  test('a rule for negative and unknown items matches an item the analyzer could not judge', async () => {
    const shop = await freshBusiness(['o@shop.test']);
    await testDb.db.deleteFrom('alert_rules').where('business_id', '=', shop.businessId).execute();
    await rule(shop.businessId, { when: { sentiments: ['negative', 'unknown'], flaggedOnly: false }, to: { email: 'fr@shop.test' }, delivery: 'instant' });
    const ids = await judged(shop.source, [review('fr2', 2, 'Le service était lent.')], { flagged: false, label: 'unknown' });
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: ids });
    expect(await sentTo(ids)).toEqual(['0 fr@shop.test']);
  });

  test("a person's rule goes to their email while they can see the business", async () => {
    const shop = await freshBusiness(['o@shop.test']);
    const other = await freshBusiness(['x@shop.test']);
    const person = await addPerson(testDb.db, accountId, { email: `Sam-${crypto.randomUUID()}@Shop.test`, role: 'staff', businessIds: [shop.businessId] });
    await rule(shop.businessId, { to: { userId: person.id }, delivery: 'instant' });
    const first = await judged(shop.source, [review('p1', 1, 'Awful.')]);
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: first });
    expect(await sentTo(first)).toEqual([`0 ${person.email.toLowerCase()}`, '0 o@shop.test'].sort());

    // Moved to another business since the rule was made: no longer told about this one.
    await testDb.db.updateTable('users').set({ business_ids: [other.businessId] }).where('id', '=', person.id).execute();
    const second = await judged(shop.source, [review('p2', 1, 'Awful again.')]);
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: second });
    expect(await sentTo(second)).toEqual(['0 o@shop.test']);
  });

  test("a channel's rule writes one channel delivery per item, gone once the channel is", async () => {
    const shop = await freshBusiness(['o@shop.test']);
    const store = { db: testDb.db, credentialsKey: deriveCredentialsKey('create-deliveries test secret'), allowPrivateUrls: false };
    const channel = await addChannel(store, accountId, { type: 'email', name: `Managers ${crypto.randomUUID()}`, config: { to: ['m@shop.test'] } });
    await rule(shop.businessId, { when: { ratingMax: 2 }, to: { channelId: channel.channel.id }, delivery: 'instant' });
    await rule(shop.businessId, { when: { kinds: ['review'] }, to: { channelId: channel.channel.id }, delivery: 'instant' });
    const ids = await judged(shop.source, [review('c1', 1, 'Awful.')]);
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: ids });
    const written = (await rows()).filter((row) => row.item_id === ids[0] && row.channel_id !== null);
    expect(written.map((row) => [row.channel_id, row.recipient])).toEqual([[channel.channel.id, `channel:${channel.channel.id}`]]);

    await testDb.db.deleteFrom('alert_channels').where('id', '=', channel.channel.id).execute();
    const later = await judged(shop.source, [review('c2', 1, 'Awful again.')]);
    await createDeliveries(testDb.db, { kind: 'negative_item', itemIds: later });
    expect(await sentTo(later)).toEqual(['0 o@shop.test']);
  });
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
