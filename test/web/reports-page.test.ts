/**
 * The reports page shows the API's own response-time and re-review figures for the
 * businesses a person can see. Every figure is checked against `/v1/metrics/...` asked
 * the same question, so the page can never drift from the API.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { updateBusinessSettings } from '../../db/repositories/business-settings.ts';
import type { LabelledGroup } from '../../services/response-times/group-labels.ts';
import { humanDuration, percent, periodInWords } from '../../web/pages/reports-format.ts';
import { escapeText } from '../../web/html.ts';
import { addKey, createApiHarness, freshSource, insertItem, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
/** The page's default range: the last 90 days, today included; the API's `to` is the day after. */
const defaultFrom = isoDay(new Date(today.getTime() - 89 * DAY));
const defaultTo = isoDay(today);
const tomorrow = isoDay(new Date(today.getTime() + DAY));
const daysAgo = (days: number, plusHours = 0) => new Date(today.getTime() - days * DAY + 9 * HOUR + plusHours * HOUR);

/** A name that must come out as text, never as markup, in tables, the select and the chart. */
const ETOILE = 'Brasserie <b>Étoile</b> & "Co"';

let h: ApiHarness & { testDb: TestDatabase };
let alice: TestItem;
let etoile: TestItem;
let emptyCafeId: string;
let owner: WebSession;
let consultant: WebSession;
let scopedConsultant: WebSession;
let staff: WebSession;

/** A business of the tenant's own with its own source, renamed and set in Paris. */
async function addBusinessWithSource(name: string): Promise<TestItem> {
  const shop = await freshSource(h);
  await updateBusinessSettings(h.db, { accountId: h.tenant.accountId, businessIds: null }, shop.businessId, { name, timezone: 'Europe/Paris' });
  return shop;
}

async function answered(owner: TestItem, publishedAt: Date, afterMs: number): Promise<string> {
  return insertItem(h.db, owner, {
    published_at: publishedAt,
    first_response_at: new Date(publishedAt.getTime() + afterMs),
    first_response_source: 'platform',
    status: 'responded',
  });
}

beforeAll(async () => {
  h = await createApiHarness();
  alice = { accountId: h.tenant.accountId, businessId: h.tenant.businessId, sourceId: h.tenant.sourceId };
  etoile = await addBusinessWithSource(ETOILE);
  emptyCafeId = (await addBusinessWithSource('Empty Café')).businessId;
  await updateBusinessSettings(h.db, { accountId: h.tenant.accountId, businessIds: null }, etoile.businessId, {
    openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ open: '09:00', close: '17:00' }]])),
  });

  // Alice Bistro: two answered 20 days ago, one waiting (overdue), one before the default range.
  await answered(alice, daysAgo(20), 3 * HOUR + 20 * 60_000);
  await answered(alice, daysAgo(20, 1), 30 * HOUR);
  await insertItem(h.db, alice, { published_at: daysAgo(5) });
  await answered(alice, daysAgo(120), HOUR);
  // Étoile: answered 40 and 60 days ago; one left open.
  await answered(etoile, daysAgo(40), 45 * 60_000);
  await answered(etoile, daysAgo(60), 50 * HOUR);
  await insertItem(h.db, etoile, { published_at: daysAgo(60, 2) });

  // Re-reviews at Alice: one revised from 2 to 4 stars, one still waiting.
  const asked = await insertItem(h.db, alice, { published_at: daysAgo(30), status: 'resolved', resolved_at: daysAgo(29), rating: 2 });
  await h.db
    .insertInto('re_review_requests')
    .values([
      { account_id: alice.accountId, business_id: alice.businessId, item_id: asked, channel: 'email', requested_by: 'Owner', requested_at: daysAgo(10), rating_before: 2, status: 'revised', rating_after: 4, closed_at: daysAgo(8) },
      { account_id: alice.accountId, business_id: alice.businessId, item_id: asked, channel: 'phone', requested_by: 'Owner', requested_at: daysAgo(3), rating_before: 2 },
    ])
    .execute();

  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
  await addPerson(h.db, h.tenant.accountId, { email: 'cora@consult.test', role: 'consultant', displayName: 'Cora' });
  await addPerson(h.db, h.tenant.accountId, { email: 'sid@consult.test', role: 'consultant', businessIds: [etoile.businessId] });
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff' });
  owner = await signInWithForm(h, 'olive@bistro.test');
  consultant = await signInWithForm(h, 'cora@consult.test');
  scopedConsultant = await signInWithForm(h, 'sid@consult.test');
  staff = await signInWithForm(h, 'sam@bistro.test');
});
afterAll(() => h.close());

async function apiGroups(query: string, key?: string): Promise<LabelledGroup[]> {
  const response = await h.call({ method: 'GET', url: `/v1/metrics/response-times?${query}`, ...(key !== undefined && { key }) });
  expect(response.statusCode).toBe(200);
  return response.json().groups;
}

const cellText = (cell: string) =>
  cell.replace(/<[^>]+>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&').trim();

/** The table whose caption starts with `caption`, as its row groups: each a list of rows, each a list of cell texts. */
function table(body: string, caption: string): string[][][] {
  const start = body.indexOf(`<caption>${caption}`);
  expect(start, `a table captioned "${caption}"`).toBeGreaterThan(-1);
  const markup = body.slice(start, body.indexOf('</table>', start));
  return [...markup.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((group) =>
    [...group[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cellText(cell[1]!))),
  );
}

/** The row that starts with a business's name. */
function rowsOf(body: string, caption: string, business: string): string[][] {
  const rows = table(body, caption).flat().filter((row) => row[0] === business);
  expect(rows, `${business} in "${caption}"`).toHaveLength(1);
  return rows;
}

/** A business's rows in a table with one row group per business: the first row names it, the rest do not repeat it. */
function groupOf(body: string, caption: string, business: string): string[][] {
  const group = table(body, caption).find((rowGroup) => rowGroup[0]?.[0] === business);
  expect(group, `${business} in "${caption}"`).toBeDefined();
  return group!.map((row, index) => (index === 0 ? row.slice(1) : row));
}

/** What the page must show for a group, in its table's columns. */
const answeredCell = (group: LabelledGroup) => `${group.responded} of ${group.items} (${percent(group.respondedPct)})`;
const medianCell = (group: LabelledGroup) => (group.responded === 0 ? 'none answered yet' : humanDuration(group.medianSeconds));

function expectTotals(body: string, groups: readonly LabelledGroup[]): void {
  for (const group of groups) {
    const [row] = rowsOf(body, 'Each business over the whole range', group.businessName!);
    expect(row).toEqual([
      group.businessName,
      String(group.items),
      answeredCell(group),
      medianCell(group),
      humanDuration(group.p90Seconds),
      percent(group.within24hPct),
      String(group.overdue),
    ]);
  }
}

function expectPeriods(body: string, groups: readonly LabelledGroup[], groupBy: 'week' | 'month'): void {
  for (const group of groups) {
    const period = periodInWords(group.period!, groupBy);
    const speed = groupOf(body, 'Median and p90 time to first response', group.businessName!).find((row) => row[0] === period);
    expect(speed, `${group.businessName}, ${period}`).toEqual([period, String(group.items), medianCell(group), humanDuration(group.p90Seconds)]);
    const share = groupOf(body, 'Answered, answered within 24 hours and overdue', group.businessName!).find((row) => row[0] === period);
    expect(share).toEqual([period, answeredCell(group), percent(group.within24hPct), String(group.overdue)]);
  }
}

describe('reports page', () => {
  test('an owner sees every business side by side over the last 90 days, with the API’s figures', async () => {
    const page = await owner.get('/reports');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Reports</h1>');
    expect(page.body).toContain(`value="${defaultFrom}"`);
    expect(page.body).toContain(`value="${defaultTo}"`);

    const totals = await apiGroups(`groupBy=business&from=${defaultFrom}&to=${tomorrow}`);
    expect(totals.map((group) => group.businessName).sort()).toEqual(['Alice Bistro', ETOILE]);
    expectTotals(page.body, totals);
    expectPeriods(page.body, await apiGroups(`groupBy=business,week&from=${defaultFrom}&to=${tomorrow}`), 'week');

    // Alice's review from 120 days ago is outside the range (four of five are in); the empty business and empty weeks say so.
    expect(rowsOf(page.body, 'Each business over the whole range', 'Alice Bistro')[0]![1]).toBe('4');
    expect(rowsOf(page.body, 'Each business over the whole range', 'Empty Café')[0]).toEqual(['Empty Café', 'No reviews in this range.']);
    expect(page.body).toContain('No reviews this week.');
    expect(page.body).toContain('Empty Café (no reviews)');
  });

  test('re-review outcomes match the API: requested, revised, improved, average star change', async () => {
    const page = await owner.get('/reports');
    const api = await h.call({ method: 'GET', url: `/v1/metrics/re-reviews?groupBy=business&from=${defaultFrom}&to=${tomorrow}` });
    const [alicesRequests] = api.json().groups as Array<{ requested: number; revised: number; improved: number; averageRatingChange: number; pending: number }>;
    expect(alicesRequests).toMatchObject({ requested: 2, revised: 1, improved: 1, averageRatingChange: 2, pending: 1 });
    const caption = 'Requests made in the range';
    expect(rowsOf(page.body, caption, 'Alice Bistro')[0]).toEqual(['Alice Bistro', '2', '1', '1', '+2 stars', '1']);
    expect(rowsOf(page.body, caption, ETOILE)[0]).toEqual([ETOILE, 'No re-review requests in this range.']);
  });

  test('a consultant sees the same figures by month, in opening hours, for a chosen range', async () => {
    const from = isoDay(daysAgo(75));
    const to = isoDay(daysAgo(1));
    const dayAfter = isoDay(daysAgo(0));
    const page = await consultant.get(`/reports?business=all&groupBy=month&from=${from}&to=${to}&businessHours=on`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('counting only opening hours');
    expect(page.body).toMatch(/id="report-hours" name="businessHours" value="on" checked/);
    expectTotals(page.body, await apiGroups(`groupBy=business&from=${from}&to=${dayAfter}&businessHours=true`));
    expectPeriods(page.body, await apiGroups(`groupBy=business,month&from=${from}&to=${dayAfter}&businessHours=true`), 'month');
  });

  test('one business chosen: only its figures', async () => {
    const page = await owner.get(`/reports?business=${etoile.businessId}&groupBy=week&from=${defaultFrom}&to=${defaultTo}`);
    expect(page.statusCode).toBe(200);
    const totals = await apiGroups(`groupBy=business&businessId=${etoile.businessId}&from=${defaultFrom}&to=${tomorrow}`);
    expectTotals(page.body, totals);
    expect(table(page.body, 'Each business over the whole range').flat().map((row) => row[0])).toEqual([ETOILE]);
  });

  test('a consultant limited to some businesses sees only theirs, and another business is a 404 page', async () => {
    const page = await scopedConsultant.get('/reports');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Alice Bistro');
    expect(page.body).not.toContain('Empty Café');
    const key = await addKey(h.db, h.tenant.accountId, 'consultant', [etoile.businessId]);
    expectTotals(page.body, await apiGroups(`groupBy=business&from=${defaultFrom}&to=${tomorrow}`, key.key));
    expectPeriods(page.body, await apiGroups(`groupBy=business,week&from=${defaultFrom}&to=${tomorrow}`, key.key), 'week');

    const other = await scopedConsultant.get(`/reports?business=${alice.businessId}`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Alice Bistro');
    expect((await scopedConsultant.get(`/reports/response-times.csv?business=${emptyCafeId}`)).statusCode).toBe(404);
    expect((await scopedConsultant.get('/reports?business=not-an-id')).statusCode).toBe(404);
  });

  test('business names are text everywhere: table, filter and chart', async () => {
    const page = await owner.get('/reports');
    expect(page.body).not.toContain('<b>Étoile</b>');
    expect(page.body).toContain(escapeText(ETOILE));
    expect(page.body).toContain(`<option value="${etoile.businessId}">${escapeText(ETOILE)}</option>`);
    expect(page.body).toMatch(/<svg class="chart"[^>]*role="img"/);
  });

  test('staff get the 403 page; nobody signed in is sent to sign in first', async () => {
    const page = await staff.get('/reports');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Not for your role');
    expect((await staff.get('/reports/response-times.csv')).statusCode).toBe(403);
    const anonymous = await h.app.inject({ method: 'GET', url: '/reports' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/sign-in?next=%2Freports');
  });

  test('the CSV download is the API’s CSV for the same question', async () => {
    const from = isoDay(daysAgo(70));
    const to = defaultTo;
    const download = await consultant.get(`/reports/response-times.csv?business=all&groupBy=week&from=${from}&to=${to}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="earshot-response-times-${from}-${to}.csv"`);
    const api = await h.call({ method: 'GET', url: `/v1/metrics/response-times?groupBy=business,week&from=${from}&to=${tomorrow}&format=csv` });
    expect(download.body).toBe(api.body);
    expect(download.body.split('\r\n')[0]).toMatch(/^key,businessId,businessName,period,items,responded,/);
    expect(download.body).toContain('"Brasserie <b>Étoile</b> & ""Co"""');

    const monthly = await owner.get(`/reports/response-times.csv?business=${alice.businessId}&groupBy=month&from=${from}&to=${to}&businessHours=on`);
    const apiMonthly = await h.call({
      method: 'GET',
      url: `/v1/metrics/response-times?groupBy=business,month&businessId=${alice.businessId}&from=${from}&to=${tomorrow}&businessHours=true&format=csv`,
    });
    expect(monthly.body).toBe(apiMonthly.body);
    // The page links to the CSV of exactly what it shows.
    const page = await consultant.get(`/reports?business=all&groupBy=week&from=${from}&to=${to}`);
    expect(page.body).toContain(`href="/reports/response-times.csv?business=all&amp;groupBy=week&amp;from=${from}&amp;to=${to}"`);
  });

  test('a date that is not a date is a 400 page naming the field, keeping what was typed', async () => {
    const page = await owner.get(`/reports?business=${etoile.businessId}&groupBy=month&from=2026-02-30&to=2026-03-31&businessHours=on`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('From: “2026-02-30” is not a date.');
    expect(page.body).toMatch(/id="report-from" name="from" value="2026-02-30" required aria-invalid="true"/);
    expect(page.body).toContain('value="2026-03-31"');
    expect(page.body).toContain(`<option value="${etoile.businessId}" selected>`);
    expect(page.body).toContain('<option value="month" selected>');
    expect(page.body).toMatch(/name="businessHours" value="on" checked/);
    expect(page.body).not.toContain('Each business over the whole range');

    const refusals: Array<[query: string, message: string]> = [
      ['from=2026-03-10&to=2026-03-01', 'To: the last day must be on or after the first day (From).'],
      ['to=next%20friday', 'To: “next friday” is not a date.'],
      ['groupBy=year', 'Group by: choose week or month.'],
      ['from=2000-01-01&to=2026-01-01', 'From: a report covers at most ten years'],
    ];
    for (const [query, message] of refusals) {
      const refused = await owner.get(`/reports?${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.body).toContain(message);
    }
    expect((await owner.get('/reports?from=2026-03-10&to=2026-03-01')).body).toMatch(/id="report-to" name="to" value="2026-03-01" required aria-invalid="true"/);

    const csv = await owner.get('/reports/response-times.csv?from=2026-13-01');
    expect(csv.statusCode).toBe(400);
    expect(csv.body).toContain('From: “2026-13-01” is not a date.');
  });
});
