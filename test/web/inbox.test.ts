import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, freshSource, insertItem, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let shop: TestItem;
let staff: WebSession;

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** The item ids of the inbox rows on a page, in the order shown. */
function rowIds(body: string): string[] {
  return [...body.matchAll(/<li class="inbox-row" data-id="([^"]+)"/g)].map((match) => match[1]!);
}

beforeAll(async () => {
  h = await createApiHarness();
  shop = await freshSource(h);
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' });
  staff = await signInWithForm(h, 'sam@bistro.test');
});
afterAll(() => h.close());

describe('inbox page', () => {
  test('opens on Needs reply: flagged and unanswered, fewest stars first, then oldest', async () => {
    const twoOld = await insertItem(h.db, shop, { rating: 2, flagged: true, published_at: hoursAgo(30), sort_at: hoursAgo(30), body: 'Cold soup\nand more' });
    const oneNew = await insertItem(h.db, shop, { rating: 1, flagged: true, published_at: hoursAgo(2), sort_at: hoursAgo(2), body: 'Rude waiter' });
    const oneOld = await insertItem(h.db, shop, { rating: 1, flagged: true, published_at: hoursAgo(5), sort_at: hoursAgo(5), body: 'Never again' });
    await insertItem(h.db, shop, { rating: 1, flagged: false, body: 'Not flagged' });
    await insertItem(h.db, shop, { rating: 1, flagged: true, status: 'responded', first_response_at: new Date(), body: 'Answered' });
    const page = await staff.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Inbox</h1>');
    const ids = rowIds(page.body);
    expect(ids.indexOf(oneOld)).toBeLessThan(ids.indexOf(oneNew));
    expect(ids.indexOf(oneNew)).toBeLessThan(ids.indexOf(twoOld));
    expect(ids).toHaveLength(3);
    expect(page.body).toContain('Cold soup');
    expect(page.body).not.toContain('and more');
    expect(page.body).toContain('Overdue');
  });
});
