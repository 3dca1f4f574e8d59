import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertItem } from '../support/api.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addPerson } from '../support/web.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A consultant's whole visit: read the figures, take the CSV away, and find nothing to change. */
describeInBrowser('a consultant on the reports page', () => {
  let h: BrowserHarness;
  let itemId: string;

  beforeAll(async () => {
    h = await createBrowserHarness();
    const source = { accountId: h.tenant.accountId, businessId: h.tenant.businessId, sourceId: h.tenant.sourceId };
    const published = new Date(Date.now() - 10 * DAY);
    await insertItem(h.db, source, { published_at: published, first_response_at: new Date(published.getTime() + 2 * HOUR), first_response_source: 'platform', status: 'responded' });
    itemId = await insertItem(h.db, source, { published_at: new Date(Date.now() - 3 * DAY), rating: 1, flagged: true });
    await addPerson(h.db, h.tenant.accountId, { email: 'cora@consult.test', role: 'consultant', displayName: 'Cora' });
  });
  afterAll(() => h?.close());

  test('opens the reports, downloads the CSV, sees nothing that changes anything, and a POST is refused', async () => {
    const page = await h.signIn('cora@consult.test');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL((url) => url.pathname === '/reports');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
    expect(await page.getByRole('img', { name: 'Median time to first response, per week' }).isVisible()).toBe(true);
    expect(await page.getByRole('row', { name: /Alice Bistro/ }).first().textContent()).toContain('1 of 2');

    // The CSV: the figures per business and week, named for its range.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /as CSV/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^earshot-response-times-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header).toBe(
      'key,businessId,businessName,period,items,responded,respondedPct,medianSeconds,p90Seconds,meanSeconds,within24hPct,within48hPct,open,overdue,resolved,medianResolutionSeconds',
    );
    expect(rows).toHaveLength(2);
    const answeredWeek = rows.find((row) => row.split(',')[5] === '1');
    expect(answeredWeek?.split(',').slice(1, 3)).toEqual([h.tenant.businessId, 'Alice Bistro']);
    expect(answeredWeek?.split(',')[7]).toBe('7200');

    // Nothing to change: the filter form (GET) and signing out are all there is.
    const buttons = await page.getByRole('button').allTextContents();
    expect(buttons.map((name) => name.trim()).sort()).toEqual(['Show report', 'Sign out']);
    const forms = await page.locator('form').evaluateAll((all) => all.map((form) => `${form.getAttribute('method')} ${form.getAttribute('action')}`));
    expect(forms.sort()).toEqual(['get /reports', 'post /sign-out']);

    // The filters work from the page: by month, every hour still counted.
    await page.getByLabel('Group by').selectOption('month');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.waitForURL((url) => url.searchParams.get('groupBy') === 'month');
    expect(await page.getByRole('img', { name: 'Median time to first response, per month' }).isVisible()).toBe(true);

    // A consultant's form post to an item action, from this very page with its own token, is refused and changes nothing.
    const token = await page.locator('form[action="/sign-out"] input[name="_csrf"]').inputValue();
    const refused = await page.evaluate(
      async ({ url, token }) => {
        const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ _csrf: token, note: 'done' }) });
        return { status: response.status, text: await response.text() };
      },
      { url: `/items/${itemId}/resolve`, token },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Not for your role');
    const item = await h.call({ method: 'GET', url: `/v1/items/${itemId}` });
    expect(item.json()).toMatchObject({ status: 'new', resolvedAt: null });

    // At phone width the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    // (An expression in the page's own words: the tests are type-checked without the DOM's types.)
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  });
});
