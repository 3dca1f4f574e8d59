import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount } from '../../db/repositories/accounts.ts';
import { updateBusinessSettings } from '../../db/repositories/business-settings.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { insertDigestEntries } from '../../db/repositories/digest-entries.ts';
import type { DigestWeekday } from '../../db/schema.ts';
import { createQueues, type Queues } from '../../services/jobs/queues.ts';
import { sendDigests } from '../../services/scheduler/send-digests.ts';
import type { PeriodicTask } from '../../services/scheduler/scheduler.ts';
import { insertItem } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testRedis } from '../support/redis.ts';

/**
 * When digests are gathered, driven by an injected clock around Europe/London's clock
 * changes (2026-03-29, 01:00 GMT → 02:00 BST; 2026-10-25, 02:00 BST → 01:00 GMT): each
 * digest is written once, at its send time, for one local day (or week), and the periods
 * abut — every entry lands in exactly one digest. The expected send instants are written
 * out by hand in UTC, not computed by the code under test.
 */

let testDb: TestDatabase;
let queues: Queues;
let task: PeriodicTask;
let accountId: string;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const redis = testRedis();
  queues = createQueues(redis.url, redis.prefix);
  task = sendDigests({ db: testDb.db, queues, log: pino({ level: 'silent' }) });
  accountId = (await createAccount(testDb.db, 'Timing')).id;
});
afterAll(async () => {
  await queues.close();
  await testDb.drop();
});

interface Scenario {
  cadence: 'daily' | 'weekly';
  time: string;
  weekday?: DigestWeekday;
  /** An entry written every hour from the first to the last, inclusive. */
  entries: [string, string];
  /** The injected clock runs from, to, in steps of `stepMinutes`. */
  clock: [string, string];
  stepMinutes: number;
  /** The digests expected, in order: their key and the instant they are due (UTC). */
  expected: Array<[key: string, due: string]>;
}

/** A business on the schedule, its entries written at the given instants (created_at as if judged then). */
async function businessWithEntries(scenario: Scenario): Promise<{ businessId: string; entryTimes: Map<string, number> }> {
  const business = await createBusiness(testDb.db, accountId, { name: `London ${scenario.cadence} ${scenario.time}`, timezone: 'Europe/London', alertEmails: ['owner@london.test'] });
  await updateBusinessSettings(testDb.db, { accountId, businessIds: null }, business.id, { digestTime: scenario.time, digestWeekday: scenario.weekday ?? 'monday' });
  const source = await testDb.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: accountId, business_id: business.id, type: 'trustpilot', config: '{}', poll_every_minutes: 15 })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const owner = { accountId, businessId: business.id, sourceId: source.id };
  const entryTimes = new Map<string, number>();
  for (let at = Date.parse(scenario.entries[0]); at <= Date.parse(scenario.entries[1]); at += HOUR) {
    const itemId = await insertItem(testDb.db, owner, { rating: 3 });
    await insertDigestEntries(testDb.db, [{ accountId, businessId: business.id, itemId, cadence: scenario.cadence, recipient: 'owner@london.test', channelId: null }]);
    await sql`UPDATE digest_entries SET created_at = ${new Date(at).toISOString()}::timestamptz WHERE item_id = ${itemId}`.execute(testDb.db);
    entryTimes.set(itemId, at);
  }
  return { businessId: business.id, entryTimes };
}

/** Runs the task at every step of the clock (twice per step, as two schedulers would) and notes when each digest was written. */
async function runClock(scenario: Scenario, businessId: string): Promise<Array<{ id: string; key: string; writtenAt: number }>> {
  const written: Array<{ id: string; key: string; writtenAt: number }> = [];
  for (let now = Date.parse(scenario.clock[0]); now <= Date.parse(scenario.clock[1]); now += scenario.stepMinutes * MINUTE) {
    const first = await task.run(new Date(now));
    expect(await task.run(new Date(now))).toBe(0);
    if (first === 0) continue;
    const rows = await testDb.db.selectFrom('alert_deliveries').select(['id', 'incident', 'kind', 'recipient']).where('business_id', '=', businessId).execute();
    for (const row of rows.filter((r) => !written.some((w) => w.id === r.id))) {
      expect(row).toMatchObject({ kind: `${scenario.cadence}_digest`, recipient: 'owner@london.test' });
      written.push({ id: row.id, key: row.incident, writtenAt: now });
    }
  }
  return written;
}

async function expectDigests(scenario: Scenario): Promise<void> {
  const { businessId, entryTimes } = await businessWithEntries(scenario);
  const written = await runClock(scenario, businessId);
  expect(written.map((w) => [w.key, new Date(w.writtenAt).toISOString()])).toEqual(scenario.expected.map(([key, due]) => [key, new Date(due).toISOString()]));

  // The periods abut: each digest holds exactly the entries written since the previous one was due.
  const entries = await testDb.db.selectFrom('digest_entries').select(['item_id', 'digest_delivery_id']).where('business_id', '=', businessId).execute();
  expect(entries.filter((entry) => entry.digest_delivery_id === null)).toEqual([]);
  written.forEach((digest, index) => {
    const from = index === 0 ? -Infinity : Date.parse(scenario.expected[index - 1]![1]);
    const to = Date.parse(scenario.expected[index]![1]);
    const expected = [...entryTimes].filter(([, at]) => at >= from && at < to).map(([itemId]) => itemId).sort();
    const got = entries.filter((entry) => entry.digest_delivery_id === digest.id).map((entry) => entry.item_id).sort();
    expect(got, digest.key).toEqual(expected);
  });

  // Each digest is queued for sending under its own job.
  for (const digest of written) expect(await queues.alert.getJob(`alert-digest-${digest.id}`)).toBeDefined();
}

describe('daily digests across the spring change (London, 29 March 2026)', () => {
  test('at 01:30, a time that does not exist that night: sent at 02:30 BST, once, and the next day at 01:30 BST', () =>
    expectDigests({
      cadence: 'daily',
      time: '01:30',
      entries: ['2026-03-27T12:00:00Z', '2026-03-30T12:00:00Z'],
      clock: ['2026-03-27T12:00:00Z', '2026-03-31T03:00:00Z'],
      stepMinutes: 15,
      expected: [
        ['daily:2026-03-28', '2026-03-28T01:30:00Z'],
        ['daily:2026-03-29', '2026-03-29T01:30:00Z'],
        ['daily:2026-03-30', '2026-03-30T00:30:00Z'],
        ['daily:2026-03-31', '2026-03-31T00:30:00Z'],
      ],
    }));

  test('at 02:30: the same instant that night (02:30 BST), a 23-hour day', () =>
    expectDigests({
      cadence: 'daily',
      time: '02:30',
      entries: ['2026-03-27T12:00:00Z', '2026-03-30T12:00:00Z'],
      clock: ['2026-03-27T12:00:00Z', '2026-03-31T03:00:00Z'],
      stepMinutes: 15,
      expected: [
        ['daily:2026-03-28', '2026-03-28T02:30:00Z'],
        ['daily:2026-03-29', '2026-03-29T01:30:00Z'],
        ['daily:2026-03-30', '2026-03-30T01:30:00Z'],
        ['daily:2026-03-31', '2026-03-31T01:30:00Z'],
      ],
    }));
});

describe('daily digests across the autumn change (London, 25 October 2026)', () => {
  test('at 01:30, a time that happens twice that night: sent once, at the second (01:30 GMT), a 25-hour day', () =>
    expectDigests({
      cadence: 'daily',
      time: '01:30',
      entries: ['2026-10-23T12:00:00Z', '2026-10-26T12:00:00Z'],
      clock: ['2026-10-23T12:00:00Z', '2026-10-27T03:00:00Z'],
      stepMinutes: 15,
      expected: [
        ['daily:2026-10-24', '2026-10-24T00:30:00Z'],
        ['daily:2026-10-25', '2026-10-25T01:30:00Z'],
        ['daily:2026-10-26', '2026-10-26T01:30:00Z'],
        ['daily:2026-10-27', '2026-10-27T01:30:00Z'],
      ],
    }));

  test('at 02:30: 02:30 GMT that night', () =>
    expectDigests({
      cadence: 'daily',
      time: '02:30',
      entries: ['2026-10-23T12:00:00Z', '2026-10-26T12:00:00Z'],
      clock: ['2026-10-23T12:00:00Z', '2026-10-27T03:00:00Z'],
      stepMinutes: 15,
      expected: [
        ['daily:2026-10-24', '2026-10-24T01:30:00Z'],
        ['daily:2026-10-25', '2026-10-25T02:30:00Z'],
        ['daily:2026-10-26', '2026-10-26T02:30:00Z'],
        ['daily:2026-10-27', '2026-10-27T02:30:00Z'],
      ],
    }));
});

describe('weekly digests', () => {
  test('on Sundays at 01:30 across the spring change: once a week, the week of the change an hour short', () =>
    expectDigests({
      cadence: 'weekly',
      time: '01:30',
      weekday: 'sunday',
      entries: ['2026-03-16T00:00:00Z', '2026-04-04T00:00:00Z'],
      clock: ['2026-03-16T00:00:00Z', '2026-04-06T00:00:00Z'],
      stepMinutes: 30,
      expected: [
        ['weekly:2026-03-22', '2026-03-22T01:30:00Z'],
        ['weekly:2026-03-29', '2026-03-29T01:30:00Z'],
        ['weekly:2026-04-05', '2026-04-05T00:30:00Z'],
      ],
    }));
});

test('a clock far past several periods (an outage) gathers everything waiting into one digest, the last ended period’s', async () => {
  const { businessId, entryTimes } = await businessWithEntries({
    cadence: 'daily',
    time: '08:00',
    entries: ['2026-06-01T00:00:00Z', '2026-06-03T23:00:00Z'],
    clock: ['', ''],
    stepMinutes: 0,
    expected: [],
  });
  expect(await task.run(new Date('2026-06-10T12:00:00Z'))).toBe(1);
  expect(await task.run(new Date('2026-06-10T12:00:00Z'))).toBe(0);
  const digests = await testDb.db.selectFrom('alert_deliveries').select(['id', 'incident']).where('business_id', '=', businessId).execute();
  expect(digests.map((d) => d.incident)).toEqual(['daily:2026-06-10']);
  const attached = await testDb.db.selectFrom('digest_entries').select('item_id').where('digest_delivery_id', '=', digests[0]!.id).execute();
  expect(attached).toHaveLength(entryTimes.size);
});
