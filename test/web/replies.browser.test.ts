import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { listReplies } from '../../db/repositories/item-replies.ts';
import { addReplyTemplate } from '../../services/replies/templates.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { insertItem } from '../support/api.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addPerson } from '../support/web.ts';

/** The reply box in Chromium: templates, the countdown with Undo, and two people never answering over each other. */
describeInBrowser('replying from the item page', () => {
  let h: BrowserHarness;
  let itemId: string;
  const everything = () => ({ accountId: h.tenant.accountId, businessIds: null });

  beforeAll(async () => {
    // A window long enough to look at; no worker runs here, so nothing leaves the machine.
    h = await createBrowserHarness({ config: { replyUndoSeconds: 60, allowPrivateUrls: true } });
    await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' });
    await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
    const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Alice Bistro', timezone: 'UTC', alertEmails: ['a@example.com'] });
    const source = await createSource(h.db, h.credentialsKey, {
      accountId: h.tenant.accountId,
      businessId: business.id,
      type: 'google_business',
      config: { accountId: '1', locationId: '2', baseUrl: 'http://127.0.0.1:9', tokenBaseUrl: 'http://127.0.0.1:9' },
      credentials: { clientId: 'id', clientSecret: 'secret', refreshToken: 'token' },
      pollEveryMinutes: 15,
      scheduled: false,
    });
    await addReplyTemplate(h.db, everything(), business.id, { name: 'Sorry', body: 'Dear {first_name}, we are sorry.', defaultMinRating: null, defaultMaxRating: null });
    itemId = await insertItem(h.db, { accountId: h.tenant.accountId, businessId: business.id, sourceId: source.id }, {
      rating: 1,
      author: 'Maria Garcia',
      external_id: 'accounts/1/locations/2/reviews/r1',
      flagged: true,
    });
  });
  afterAll(() => h?.close());

  test('staff pick a template, edit it and send; a colleague who opened the item before is stopped', async () => {
    const sam = await h.signIn('sam@bistro.test');
    const olive = await h.signIn('olive@bistro.test');
    // Olive opens the item first and starts writing.
    await olive.goto(`/items/${itemId}`);
    await olive.getByLabel(/^Your reply/).fill('Hello Maria, call us.');

    await sam.goto(`/items/${itemId}`);
    await sam.getByLabel('Template').selectOption({ label: 'Sorry' });
    const box = sam.getByLabel(/^Your reply/);
    await expect.poll(() => box.inputValue()).toBe('Dear Maria, we are sorry.');
    await box.fill('Dear Maria, we are sorry. The chef will call you.');
    await expect.poll(() => sam.locator('[data-reply-count]').textContent()).toMatch(/\d+ left\./);
    await sam.getByRole('button', { name: 'Send' }).click();
    await sam.waitForURL(/done=reply/);
    await expect.poll(() => sam.locator('[data-send-at]').textContent()).toMatch(/^\d+ s$/);
    const first = Number.parseInt((await sam.locator('[data-send-at]').textContent()) ?? '0', 10);
    await expect.poll(async () => Number.parseInt((await sam.locator('[data-send-at]').textContent()) ?? '0', 10), { timeout: 5000 }).toBeLessThan(first);
    expect(await sam.getByRole('button', { name: 'Undo' }).isVisible()).toBe(true);

    // Olive's page still shows no reply: her send is stopped, her text kept.
    await olive.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => olive.locator('.notice.problem').textContent()).toContain('Another reply to this item is already on its way');
    expect(await olive.getByLabel(/^Your reply/).count()).toBe(0);
    const replies = await listReplies(h.db, everything(), itemId);
    expect(replies.map((reply) => [reply.author, reply.status, reply.text])).toEqual([['Sam', 'scheduled', 'Dear Maria, we are sorry. The chef will call you.']]);

    // Sam takes it back: the text returns to the box.
    await sam.getByRole('button', { name: 'Undo' }).click();
    await sam.waitForURL(/done=reply-cancelled/);
    expect(await sam.getByLabel(/^Your reply/).inputValue()).toBe('Dear Maria, we are sorry. The chef will call you.');
    expect(await sam.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
