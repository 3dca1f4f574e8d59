/**
 * Response-time figures against values worked out by hand (the arithmetic is in the
 * comments). Business A: UTC, no opening hours, SLA 24 h. Business B: Europe/Paris,
 * open Mon–Fri 09:00–17:00, SLA 8 h, with items across a weekend and both 2026 DST changes
 * (Sunday 29 March: 02:00 CET → 03:00 CEST; Sunday 25 October: 03:00 CEST → 02:00 CET).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { updateBusinessSettings } from '../../db/repositories/business-settings.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { createResponseFactsCache } from '../../services/response-times/response-facts-cache.ts';
import { responseTimeReport } from '../../services/response-times/response-time-report.ts';
import { addKey, createApiHarness, insertItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const OWNER = { accountId: h.tenant.accountId, businessIds: null };
const A = { accountId: h.tenant.accountId, businessId: h.tenant.businessId, sourceId: h.tenant.sourceId };
let B: typeof A;
let bRss: typeof A;

async function addSource(businessId: string, type: string): Promise<string> {
  const id = randomUUID();
  await h.db
    .insertInto('sources')
    .values({ id, account_id: h.tenant.accountId, business_id: businessId, type, config: '{}', poll_every_minutes: 15 })
    .execute();
  return id;
}

async function responded(itemId: string, actor: string): Promise<void> {
  await h.db.insertInto('item_events').values({ item_id: itemId, account_id: h.tenant.accountId, type: 'responded', actor, data: '{}' }).execute();
}

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Brasserie B', timezone: 'Europe/Paris', alertEmails: ['b@example.com'] });
  await updateBusinessSettings(h.db, OWNER, business.id, {
    slaHours: 8,
    openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ open: '09:00', close: '17:00' }]])),
  });
  B = { accountId: h.tenant.accountId, businessId: business.id, sourceId: await addSource(business.id, 'google_places') };
  bRss = { ...B, sourceId: await addSource(business.id, 'rss') };

  // Business A, week of Monday 2 March 2026 (UTC).
  // 1: answered on the platform after 1 h (3,600 s); resolved after 24 h (86,400 s).
  await insertItem(h.db, A, {
    published_at: at('2026-03-02T10:00:00Z'), first_response_at: at('2026-03-02T11:00:00Z'), first_response_source: 'platform',
    status: 'resolved', resolved_at: at('2026-03-03T10:00:00Z'),
  });
  // 2: platform reply after 30 h (108,000 s).
  await insertItem(h.db, A, {
    published_at: at('2026-03-02T12:00:00Z'), first_response_at: at('2026-03-03T18:00:00Z'), first_response_source: 'platform', status: 'responded',
  });
  // 3: marked responded in Earshot by "Front desk" after 72 h (259,200 s); resolved after 96 h (345,600 s).
  const third = await insertItem(h.db, A, {
    published_at: at('2026-03-03T00:00:00Z'), first_response_at: at('2026-03-06T00:00:00Z'), first_response_source: 'earshot',
    status: 'resolved', resolved_at: at('2026-03-07T00:00:00Z'),
  });
  await responded(third, 'Front desk');
  // 4: no published date: the clock starts when first seen; "Manager" answered after 2 h (7,200 s).
  const fourth = await insertItem(h.db, A, {
    published_at: null, first_seen_at: at('2026-03-04T00:00:00Z'), first_response_at: at('2026-03-04T02:00:00Z'),
    first_response_source: 'earshot', status: 'responded',
  });
  await responded(fourth, 'Manager');
  // 5: week of 9 March, never answered: open, and overdue (far past 24 h).
  await insertItem(h.db, A, { published_at: at('2026-03-09T08:00:00Z') });
  // 6: an hour old, unanswered: open, not overdue. Outside the March cohort.
  await insertItem(h.db, A, { published_at: new Date(Date.now() - 3600_000) });

  // Business B (Paris, Mon–Fri 09:00–17:00).
  // 7: Fri 27 Mar 16:00 CET (15:00Z) → Mon 30 Mar 10:00 CEST (08:00Z), across the spring change.
  //    Calendar: 65 h = 234,000 s. Opening hours: Fri 16–17 + Mon 09–10 = 7,200 s.
  await insertItem(h.db, B, {
    published_at: at('2026-03-27T15:00:00Z'), first_response_at: at('2026-03-30T08:00:00Z'), first_response_source: 'platform', status: 'responded',
  });
  // 8: Sat 24 Oct 12:00 CEST (10:00Z) → Tue 27 Oct 09:30 CET (08:30Z), across the autumn change.
  //    Calendar: 70.5 h = 253,800 s. Opening hours: Mon 09–17 (28,800) + Tue 09:00–09:30 (1,800) = 30,600 s.
  await insertItem(h.db, B, {
    published_at: at('2026-10-24T10:00:00Z'), first_response_at: at('2026-10-27T08:30:00Z'), first_response_source: 'platform', status: 'responded',
  });
  // 9: Fri 27 Mar 16:00 CET, unanswered.
  await insertItem(h.db, B, { published_at: at('2026-03-27T15:00:00Z') });
  // 10: a news article found through a feed: cannot be answered, reported apart.
  await insertItem(h.db, bRss, { kind: 'mention', published_at: at('2026-03-27T15:00:00Z') });
});

const get = (query: string, key?: string, headers?: Record<string, string>) =>
  h.call({ method: 'GET', url: `/v1/metrics/response-times?${query}`, ...(key !== undefined && { key }), ...(headers && { headers }) });

const MARCH = 'from=2026-03-01&to=2026-04-01';

describe('GET /v1/metrics/response-times', () => {
  test('per business, March cohort: every figure as computed by hand', async () => {
    const response = await get(`${MARCH}&groupBy=business&businessId=${A.businessId}`);
    expect(response.statusCode).toBe(200);
    // Answered: 3,600 · 7,200 · 108,000 · 259,200.
    expect(response.json()).toEqual({
      groups: [
        {
          key: A.businessId,
          businessId: A.businessId,
          businessName: 'Alice Bistro',
          items: 5,
          responded: 4,
          respondedPct: 80,
          medianSeconds: 57_600, // (7,200 + 108,000) / 2
          p90Seconds: 213_840, // rank 0.9 × 3 = 2.7: 108,000 + 0.7 × (259,200 − 108,000)
          meanSeconds: 94_500, // 378,000 / 4
          within24hPct: 40, // 2 of 5 items
          within48hPct: 60, // 3 of 5 items (30 h counts)
          open: 1,
          overdue: 1,
          resolved: 2,
          medianResolutionSeconds: 216_000, // (86,400 + 345,600) / 2
        },
      ],
      unrepliable: { items: 0, sourceTypes: [] },
    });
  });

  test('per week: cohorts by published date (first seen when undated)', async () => {
    const { groups } = (await get(`${MARCH}&groupBy=week&businessId=${A.businessId}`)).json();
    expect(groups).toEqual([
      {
        key: '2026-03-02', period: '2026-03-02', items: 4, responded: 4, respondedPct: 100, medianSeconds: 57_600, p90Seconds: 213_840, meanSeconds: 94_500,
        within24hPct: 50, within48hPct: 75, open: 0, overdue: 0, resolved: 2, medianResolutionSeconds: 216_000,
      },
      {
        key: '2026-03-09', period: '2026-03-09', items: 1, responded: 0, respondedPct: 0, medianSeconds: null, p90Seconds: null, meanSeconds: null,
        within24hPct: 0, within48hPct: 0, open: 1, overdue: 1, resolved: 0, medianResolutionSeconds: null,
      },
    ]);
  });

  test('an item younger than the SLA is open but not overdue; month keys are the month start', async () => {
    const now = new Date();
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
    const from = new Date(Date.now() - 2 * 3600_000).toISOString();
    const { groups } = (await get(`groupBy=month&businessId=${A.businessId}&from=${encodeURIComponent(from)}`)).json();
    expect(groups).toEqual([expect.objectContaining({ key: month, items: 1, responded: 0, open: 1, overdue: 0 })]);
  });

  test('per responder: the platform, the key that first answered in Earshot, and null for unanswered', async () => {
    const { groups } = (await get(`${MARCH}&groupBy=responder&businessId=${A.businessId}`)).json();
    expect(groups.map((g: { key: string | null; items: number; medianSeconds: number | null }) => [g.key, g.items, g.medianSeconds])).toEqual([
      ['Front desk', 1, 259_200],
      ['Manager', 1, 7_200],
      ['platform', 2, 55_800], // (3,600 + 108,000) / 2
      [null, 1, null],
    ]);
  });

  test('business B on the calendar: weekend and DST changes counted as elapsed time', async () => {
    const { groups, unrepliable } = (await get(`groupBy=source&businessId=${B.businessId}`)).json();
    expect(groups).toEqual([
      {
        key: 'google_places', sourceName: 'Google (Places API)', items: 3, responded: 2, respondedPct: 66.7,
        medianSeconds: 243_900, // (234,000 + 253,800) / 2
        p90Seconds: 251_820, // 234,000 + 0.9 × 19,800
        meanSeconds: 243_900,
        within24hPct: 0, within48hPct: 0, open: 1, overdue: 1, resolved: 0, medianResolutionSeconds: null,
      },
    ]);
    expect(unrepliable).toEqual({ items: 1, sourceTypes: [{ sourceType: 'rss', items: 1 }] });
  });

  test('business B in business hours: only Mon–Fri 09:00–17:00 Paris time counts, across both DST changes', async () => {
    const { groups } = (await get(`groupBy=business&businessId=${B.businessId}&businessHours=true`)).json();
    expect(groups).toEqual([
      {
        key: B.businessId, businessId: B.businessId, businessName: 'Brasserie B', items: 3, responded: 2, respondedPct: 66.7,
        medianSeconds: 18_900, // (7,200 + 30,600) / 2
        p90Seconds: 28_260, // 7,200 + 0.9 × 23,400
        meanSeconds: 18_900,
        within24hPct: 66.7, within48hPct: 66.7, open: 1, overdue: 1, resolved: 0, medianResolutionSeconds: null,
      },
    ]);
  });

  test('overdue in business hours counts the SLA in opening hours', async () => {
    // Mon 30 Mar 12:00 CEST: item 9 is 67 h old on the calendar, 4 opening hours (Fri 16–17, Mon 09–12).
    const now = at('2026-03-30T10:00:00Z');
    const base = { businessIds: [B.businessId], groupBy: 'business' as const, now, from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') };
    const facts = await createResponseFactsCache().read(h.db, OWNER, [B.businessId]);
    const calendar = responseTimeReport(facts, { ...base, businessHours: false });
    const opening = responseTimeReport(facts, { ...base, businessHours: true });
    expect(calendar.groups[0]).toMatchObject({ items: 2, open: 1, overdue: 1 });
    expect(opening.groups[0]).toMatchObject({ items: 2, open: 1, overdue: 0 });
  });

  test('filters: kind, sourceType, ratingMax, flagged, sentiment', async () => {
    await insertItem(h.db, A, { published_at: at('2026-03-10T00:00:00Z'), rating: 1, flagged: true, sentiment_label: 'negative', kind: 'mention' });
    const figures = async (query: string) => (await get(`${MARCH}&businessId=${A.businessId}&${query}`)).json().groups.map((g: { items: number }) => g.items);
    expect(await figures('kind=mention')).toEqual([1]);
    expect(await figures('ratingMax=2')).toEqual([1]);
    expect(await figures('flagged=true&sentiment=negative')).toEqual([1]);
    expect(await figures('sourceType=google_places')).toEqual([]);
    await h.db.deleteFrom('items').where('kind', '=', 'mention').where('business_id', '=', A.businessId).execute();
  });

  test('CSV, by Accept header or format=csv: the same groups', async () => {
    const byHeader = await get(`${MARCH}&businessId=${A.businessId}`, undefined, { accept: 'text/csv' });
    expect(byHeader.statusCode).toBe(200);
    expect(byHeader.headers['content-type']).toMatch(/^text\/csv/);
    expect(byHeader.body).toBe(
      'key,businessId,businessName,items,responded,respondedPct,medianSeconds,p90Seconds,meanSeconds,within24hPct,within48hPct,open,overdue,resolved,medianResolutionSeconds\r\n' +
        `${A.businessId},${A.businessId},Alice Bistro,5,4,80,57600,213840,94500,40,60,1,1,2,216000\r\n`,
    );
    const byFormat = await get(`${MARCH}&businessId=${A.businessId}&format=csv`);
    expect(byFormat.body).toBe(byHeader.body);
  });

  test('per business per week in one call: one group per business and week, named', async () => {
    const response = await get(`${MARCH}&groupBy=business,week`);
    expect(response.statusCode).toBe(200);
    const rows = response.json().groups.map((g: Record<string, unknown>) => [g.key, g.businessId, g.businessName, g.period, g.items, g.responded, g.medianSeconds]);
    const expected = [
      // A, week of 2 March: items 1–4, answered 3,600 · 7,200 · 108,000 · 259,200 → median 57,600.
      [`${A.businessId}/2026-03-02`, A.businessId, 'Alice Bistro', '2026-03-02', 4, 4, 57_600],
      [`${A.businessId}/2026-03-09`, A.businessId, 'Alice Bistro', '2026-03-09', 1, 0, null],
      // B, week of 23 March: items 7 (234,000 s on the calendar) and 9 (unanswered).
      [`${B.businessId}/2026-03-23`, B.businessId, 'Brasserie B', '2026-03-23', 2, 1, 234_000],
    ];
    expect(rows).toEqual(expected.sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  });

  test('per business per month, and its CSV with the names beside the ids', async () => {
    const json = (await get(`${MARCH}&groupBy=business,month&businessId=${B.businessId}`)).json();
    expect(json.groups).toEqual([
      expect.objectContaining({ key: `${B.businessId}/2026-03-01`, businessId: B.businessId, businessName: 'Brasserie B', period: '2026-03-01', items: 2, responded: 1 }),
    ]);
    const csv = await get(`${MARCH}&groupBy=business,month&businessId=${B.businessId}&format=csv`);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="response-times-by-business-month.csv"');
    const [header, row] = csv.body.split('\r\n');
    expect(header).toMatch(/^key,businessId,businessName,period,items,responded,/);
    expect(row).toMatch(new RegExp(`^${B.businessId}/2026-03-01,${B.businessId},Brasserie B,2026-03-01,2,1,`));
  });

  test('CSV by source names the platform; a business name that looks like a formula is defused', async () => {
    const csv = await get(`groupBy=source&businessId=${B.businessId}&format=csv`);
    expect(csv.body.split('\r\n')[0]).toMatch(/^key,sourceName,items,/);
    expect(csv.body.split('\r\n')[1]).toMatch(/^google_places,Google \(Places API\),3,/);
    const tricky = await createBusiness(h.db, h.tenant.accountId, { name: '=HYPERLINK("x")', timezone: 'UTC', alertEmails: ['t@example.com'] });
    await insertItem(h.db, { ...A, businessId: tricky.id, sourceId: await addSource(tricky.id, 'google_places') }, { published_at: at('2026-03-05T00:00:00Z') });
    const named = await get(`${MARCH}&businessId=${tricky.id}&format=csv`);
    expect(named.body.split('\r\n')[1]).toContain(`,"'=HYPERLINK(""x"")",`);
    await h.db.deleteFrom('items').where('business_id', '=', tricky.id).execute();
    await h.db.deleteFrom('sources').where('business_id', '=', tricky.id).execute();
    await h.db.deleteFrom('businesses').where('id', '=', tricky.id).execute();
  });

  test('a consultant sees all the account or its scoped subset; other ids are 404', async () => {
    const all = await addKey(h.db, h.tenant.accountId, 'consultant');
    const keys = (await get(MARCH, all.key)).json().groups.map((g: { key: string }) => g.key).sort();
    expect(keys).toEqual([A.businessId, B.businessId].sort());
    const scoped = await addKey(h.db, h.tenant.accountId, 'consultant', [A.businessId]);
    expect((await get(MARCH, scoped.key)).json().groups.map((g: { key: string }) => g.key)).toEqual([A.businessId]);
    expect((await get(`businessId=${B.businessId}`, scoped.key)).statusCode).toBe(404);
    expect((await get(`businessId=${h.stranger.businessId}`)).statusCode).toBe(404);
    const stranger = (await get('', h.stranger.key)).json();
    expect(stranger.groups).toEqual([]);
  });

  test.each([
    ['groupBy=day', 'query.groupBy'],
    ['ratingMax=6', 'query.ratingMax'],
    ['from=yesterday', 'query.from'],
    ['from=2026-03-02&to=2026-03-01', 'query.to'],
    ['businessId=nope', 'query.businessId'],
    ['color=red', 'query'],
  ])('%s is refused naming %s', async (query, field) => {
    const response = await get(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: expect.stringContaining(field) });
  });
});
