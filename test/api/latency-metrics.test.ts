import { afterAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { addKey, createApiHarness, insertItem, type TestItem } from '../support/api.ts';
import { percentileBySort } from '../support/reference-percentile.ts';

/**
 * GET /v1/metrics/latency over items and deliveries written with known timestamps;
 * the expected percentiles are computed here, by linear interpolation between ranks.
 */
const h = await createApiHarness();
afterAll(() => h.close());

/** percentile_cont by its definition, rounded to whole milliseconds as the API answers. */
function percentileCont(values: number[], p: number): number | null {
  const value = percentileBySort(values, p);
  return value === null ? null : Math.round(value);
}
const percentiles = (values: number[]) => ({ p50: percentileCont(values, 0.5), p95: percentileCont(values, 0.95), p99: percentileCont(values, 0.99) });

const BASE = Date.parse('2026-11-10T12:00:00.000Z');
const at = (ms: number) => new Date(BASE + ms);

async function sourceOfType(businessId: string, type: string, config: Record<string, unknown>): Promise<TestItem> {
  const source = await createSource(h.db, h.credentialsKey, {
    accountId: h.tenant.accountId,
    businessId,
    type,
    config,
    credentials: {},
    pollEveryMinutes: 15,
    scheduled: true,
  });
  return { accountId: h.tenant.accountId, businessId, sourceId: source.id };
}

async function delivery(itemId: string, kind: string, sentAt: Date | null, recipient = 'owner@example.com'): Promise<void> {
  await h.db
    .insertInto('alert_deliveries')
    .values({ account_id: h.tenant.accountId, item_id: itemId, recipient, kind, status: sentAt === null ? 'pending' : 'sent', sent_at: sentAt })
    .execute();
}

const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Latency Diner', timezone: 'UTC', alertEmails: ['l@example.com'] });
const other = await createBusiness(h.db, h.tenant.accountId, { name: 'Other Diner', timezone: 'UTC', alertEmails: ['o@example.com'] });
const streamed = await sourceOfType(business.id, 'test_platform', {});
const polled = await sourceOfType(business.id, 'rss', { url: 'https://example.com/feed.xml' });
const elsewhere = await sourceOfType(other.id, 'test_platform', {});

// Streamed items: announced → first seen, and first seen → the earliest accepted alert.
const streamedDelays = [120, 80, 950, 300, 45, 2_003, 610];
const alertDelays: number[] = [];
for (const [index, delay] of streamedDelays.entries()) {
  const firstSeen = index * 60_000 + delay;
  const id = await insertItem(h.db, streamed, {
    announced_at: at(index * 60_000),
    // A stream's announcement wins over the publication date the platform wrote.
    published_at: at(index * 60_000 - 3_600_000),
    first_seen_at: at(firstSeen),
  });
  if (index % 2 === 0) {
    const toAlert = 200 + index * 137;
    alertDelays.push(toAlert);
    await delivery(id, 'negative_item', at(firstSeen + toAlert));
    // A later acceptance by another recipient, an unsent one and another kind do not count.
    await delivery(id, 'negative_item', at(firstSeen + toAlert + 5_000), 'channel:later');
    await delivery(id, 'negative_item', null, 'pending@example.com');
    await delivery(id, 'test', at(firstSeen + 1));
  }
}
// Polled items: their publication stands in; one without a date is counted, not measured;
// one whose platform clock ran ahead of ours counts as no delay.
const polledDelays = [900_000, 60_000, 3_600_000];
for (const [index, delay] of polledDelays.entries()) {
  await insertItem(h.db, polled, { published_at: at(index * 1_000), first_seen_at: at(index * 1_000 + delay) });
}
await insertItem(h.db, polled, { published_at: null, first_seen_at: at(5_000) });
await insertItem(h.db, polled, { published_at: at(9_000), first_seen_at: at(8_000) });
// Outside the range, another business, another account.
await insertItem(h.db, streamed, { announced_at: at(-86_400_000 * 20), first_seen_at: at(-86_400_000 * 20 + 1) });
await insertItem(h.db, elsewhere, { announced_at: at(0), first_seen_at: at(77) });
await insertItem(h.db, h.stranger, { announced_at: at(0), first_seen_at: at(99_999) });

const RANGE = 'from=2026-11-01&to=2026-12-01';

describe('GET /v1/metrics/latency', () => {
  const latency = async (query: string, key?: string) => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/latency?${query}`, ...(key && { key }) });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  test('per source type, the exact percentiles of both legs', async () => {
    const answer = await latency(`businessId=${business.id}&${RANGE}`);
    expect(answer.from).toBe('2026-11-01T00:00:00.000Z');
    expect(answer.to).toBe('2026-12-01T00:00:00.000Z');
    expect(answer.sourceTypes).toEqual([
      {
        sourceType: 'rss',
        count: 5,
        alerted: 0,
        announcedToFirstSeen: percentiles([...polledDelays, 0]),
        firstSeenToAlert: { p50: null, p95: null, p99: null },
      },
      {
        sourceType: 'test_platform',
        count: streamedDelays.length,
        alerted: alertDelays.length,
        announcedToFirstSeen: percentiles(streamedDelays),
        firstSeenToAlert: percentiles(alertDelays),
      },
    ]);
    // The interpolation is really exercised: p95 of seven delays lies between the two largest.
    expect(percentiles(streamedDelays).p95).toBe(1_687);
  });

  test('without businessId, every business the caller sees; a key limited to one sees only it', async () => {
    const all = await latency(RANGE);
    const testPlatform = all.sourceTypes.find((s: { sourceType: string }) => s.sourceType === 'test_platform');
    expect(testPlatform.count).toBe(streamedDelays.length + 1);
    expect(testPlatform.announcedToFirstSeen).toEqual(percentiles([...streamedDelays, 77]));

    const limited = await addKey(h.db, h.tenant.accountId, 'consultant', [other.id]);
    expect((await latency(RANGE, limited.key)).sourceTypes).toEqual([
      { sourceType: 'test_platform', count: 1, alerted: 0, announcedToFirstSeen: percentiles([77]), firstSeenToAlert: { p50: null, p95: null, p99: null } },
    ]);
    const staff = await addKey(h.db, h.tenant.accountId, 'staff', [other.id]);
    const refused = await h.call({ method: 'GET', url: `/v1/metrics/latency?businessId=${business.id}`, key: staff.key });
    expect(refused.statusCode).toBe(404);
  });

  test('the range defaults to the 30 days before now', async () => {
    const today = await createBusiness(h.db, h.tenant.accountId, { name: 'Today Diner', timezone: 'UTC', alertEmails: ['t@example.com'] });
    const source = await sourceOfType(today.id, 'test_platform', {});
    await insertItem(h.db, source, { announced_at: new Date(Date.now() - 2_500), first_seen_at: new Date(Date.now() - 1_000) });
    await insertItem(h.db, source, { announced_at: new Date(Date.now() - 31 * 86_400_000), first_seen_at: new Date(Date.now() - 31 * 86_400_000 + 5) });
    const answer = await latency(`businessId=${today.id}`);
    expect(Date.parse(answer.to) - Date.parse(answer.from)).toBe(30 * 86_400_000);
    expect(Math.abs(Date.parse(answer.to) - Date.now())).toBeLessThan(60_000);
    expect(answer.sourceTypes).toEqual([
      { sourceType: 'test_platform', count: 1, alerted: 0, announcedToFirstSeen: percentiles([1_500]), firstSeenToAlert: { p50: null, p95: null, p99: null } },
    ]);
  });

  test("another account's business is not found", async () => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/latency?businessId=${h.stranger.businessId}` });
    expect(response.statusCode).toBe(404);
  });

  test.each([
    ['from=yesterday', 'query.from'],
    ['to=2026-02-30T25:00:00Z', 'query.to'],
    ['from=2026-02-01&to=2026-01-01', 'query.to'],
    ['from=2999-01-01', 'query.from'],
    ['businessId=42', 'query.businessId'],
    ['groupBy=source', 'query.groupBy'],
  ])('%s is refused naming %s', async (query, field) => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/latency?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });
});
