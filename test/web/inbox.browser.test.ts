import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertItem, type TestItem } from '../support/api.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addShop, addShopSource } from '../support/shop.ts';
import { addPerson } from '../support/web.ts';

const SCREENSHOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/inbox.png');
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** A staff member works a flagged review from the inbox to a re-review request, by keyboard and forms, in Chromium. */
describeInBrowser('a staff member in the inbox', () => {
  let h: BrowserHarness;
  let trustpilot: TestItem;
  let google: TestItem;
  let flaggedId: string;

  beforeAll(async () => {
    h = await createBrowserHarness();
    trustpilot = await addShop(h, { name: 'Bistro Lumière', timezone: 'Europe/Paris', type: 'trustpilot' });
    google = await addShopSource(h, trustpilot.businessId, 'google_places');
    await addPerson(h.db, h.tenant.accountId, { email: 'sam@lumiere.test', role: 'staff', displayName: 'Sam Baker', businessIds: [trustpilot.businessId] });
    const review = (hours: number) => ({ published_at: hoursAgo(hours), sort_at: hoursAgo(hours), first_seen_at: hoursAgo(hours - 0.2) });
    flaggedId = await insertItem(h.db, trustpilot, {
      ...review(26),
      rating: 1,
      flagged: true,
      sentiment_label: 'negative',
      sentiment_score: -0.92,
      topics: ['wait', 'staff_attitude'],
      author: 'Claire M.',
      title: 'Forty minutes for a cold croque-monsieur',
      body: 'We waited forty minutes and the croque-monsieur arrived cold.\nThe waiter shrugged when we mentioned it.',
      url: 'https://www.trustpilot.com/reviews/lumiere-1',
    });
    await insertItem(h.db, google, {
      ...review(5),
      rating: 1,
      flagged: true,
      sentiment_label: 'negative',
      sentiment_score: -0.8,
      topics: ['booking_delivery'],
      author: 'Tom R.',
      body: 'Booked a table for six on Saturday; they had no record of it and sent us away.',
    });
    await insertItem(h.db, google, {
      ...review(9),
      rating: 2,
      flagged: true,
      sentiment_label: 'negative',
      sentiment_score: -0.55,
      topics: ['price'],
      author: 'Ingrid L.',
      body: 'Nice terrace, but 7 € for a small espresso is too much.',
    });
    await insertItem(h.db, trustpilot, {
      ...review(2),
      rating: 2,
      flagged: true,
      sentiment_label: 'negative',
      sentiment_score: -0.6,
      topics: ['cleanliness'],
      author: 'Marc D.',
      title: 'Sticky tables',
      body: 'Food was fine but the tables were sticky and the floor needed a sweep.',
    });
    await insertItem(h.db, google, { ...review(30), rating: 5, sentiment_label: 'positive', sentiment_score: 0.9, author: 'Lena K.', body: 'Best tarte tatin in town, lovely staff!' });
  });
  afterAll(() => h?.close());

  test('opens a flagged review by keyboard, answers, notes, resolves and asks for a re-review; the API sees it all under their name', async () => {
    const page = await h.signIn('sam@lumiere.test');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('.inbox-row').count()).toBe(4);
    await expect.poll(() => page.getByRole('link', { name: 'Needs reply' }).getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: SCREENSHOT });

    // ? lists the shortcuts; Escape closes the list.
    await page.keyboard.press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(false);

    // j, j, k: back on the first row, the oldest one-star review; Enter opens it.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.inbox-row.selected').getAttribute('data-id')).not.toBe(flaggedId);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('.inbox-row.selected').getAttribute('data-id')).toBe(flaggedId);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/items/${flaggedId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Forty minutes for a cold croque-monsieur');

    const respond = page.getByRole('form', { name: 'Mark responded' });
    await respond.getByLabel('Note (optional)').fill('Called Claire and apologised.');
    await respond.getByRole('button', { name: 'Mark responded' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Marked responded.');

    const note = page.getByRole('form', { name: 'Add a note' });
    await note.getByLabel('Note').fill('New waiter starts on Monday.');
    await note.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Note added.');

    await page.getByRole('form', { name: 'Resolve' }).getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Resolved.');

    const reReview = page.getByRole('form', { name: 'Request a re-review' });
    await reReview.getByLabel('How you asked').selectOption('phone');
    await reReview.getByRole('button', { name: 'Request a re-review' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Re-review request recorded.');
    expect(await page.getByText('Waiting for the customer').count()).toBe(1);

    const api = await h.call({ method: 'GET', url: `/v1/items/${flaggedId}` });
    const item = api.json() as { respondedAt: string | null; status: string; events: Array<{ type: string; actor: string }> };
    expect(item.respondedAt).not.toBeNull();
    expect(item.status).toBe('resolved');
    expect(item.events.filter((event) => event.actor === 'Sam Baker').map((event) => event.type)).toEqual(['responded', 'note', 'resolved', 're_review_requested']);
  }, 60_000);

  test('a new flagged review appears in the open inbox without a reload', async () => {
    const page = await h.signIn('sam@lumiere.test');
    await expect.poll(() => page.locator('.inbox-row').count()).toBeGreaterThan(0);
    const arrived = await insertItem(h.db, trustpilot, { rating: 1, flagged: true, author: 'Nora P.', body: 'The soup of the day was salty beyond words.' });
    await expect.poll(() => page.locator(`.inbox-row[data-id="${arrived}"]`).count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('#inbox-live').textContent()).toBe('1 new item');
    expect(await page.locator('.inbox-row').first().getAttribute('data-id')).toBe(arrived);
  }, 40_000);

  test('at 390 px wide neither the inbox nor an item page scrolls sideways', async () => {
    const page = await h.signIn('sam@lumiere.test', undefined, { width: 390, height: 844 });
    await expect.poll(() => page.locator('.inbox-row').count()).toBeGreaterThan(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.goto(`/items/${flaggedId}`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  }, 30_000);
});
