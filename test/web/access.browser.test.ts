import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDeliveries } from '../../services/alerts/create-deliveries.ts';
import { deliverAlerts } from '../../services/alerts/deliver.ts';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import { removePerson } from '../../services/people/membership.ts';
import { insertItem, type TestItem } from '../support/api.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addShop } from '../support/shop.ts';
import { addPerson, TEST_PASSWORD } from '../support/web.ts';

/** Who reaches what, in Chromium: the alert email's link, another business's item, and the end of a session. */
describeInBrowser('access in the browser', () => {
  let h: BrowserHarness;
  let outbox: string;
  let mail: MailTransport;
  let bakery: TestItem;
  let florist: TestItem;
  let bakeryItemId: string;
  let floristItemId: string;
  let staffId: string;

  beforeAll(async () => {
    h = await createBrowserHarness();
    outbox = await mkdtemp(path.join(os.tmpdir(), 'earshot-access-'));
    mail = createMailTransport({ smtpUrl: undefined, outboxDir: outbox });
    bakery = await addShop(h, { name: 'Crumb Bakery', type: 'google_places' });
    florist = await addShop(h, { name: 'Petal Florist', type: 'yelp' });
    await addPerson(h.db, h.tenant.accountId, { email: 'owner@crumb.test', role: 'owner', displayName: 'Olive' });
    staffId = (await addPerson(h.db, h.tenant.accountId, { email: 'sam@crumb.test', role: 'staff', displayName: 'Sam', businessIds: [bakery.businessId] })).id;
    const flagged = { rating: 1, flagged: true, sentiment_label: 'negative' as const, published_at: new Date(Date.now() - 3_600_000), sort_at: new Date() };
    bakeryItemId = await insertItem(h.db, bakery, { ...flagged, author: 'Pat', body: 'The sourdough was raw in the middle.' });
    floristItemId = await insertItem(h.db, florist, { ...flagged, author: 'Lou', body: 'Wilted roses delivered a day late.' });
  });
  afterAll(async () => {
    mail?.close();
    await h?.close();
    if (outbox) await rm(outbox, { recursive: true, force: true });
  });

  test("the alert email's link leads, through sign-in, to the item page", async () => {
    await createDeliveries(h.db, { kind: 'negative_item', itemIds: [bakeryItemId] });
    const deliveries = await h.db.selectFrom('alert_deliveries').select('id').where('item_id', '=', bakeryItemId).execute();
    await deliverAlerts(deliveries.map((d) => d.id), { db: h.db, mail, config: h.config, credentialsKey: h.credentialsKey, log: pino({ level: 'silent' }) });
    const [file] = await readdir(outbox);
    const eml = (await readFile(path.join(outbox, file as string), 'utf8')).replace(/=\r?\n/g, '');
    const link = `${h.baseUrl}/items/${bakeryItemId}`;
    expect(eml).toContain(link);

    const page = await (await h.newContext()).newPage();
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email').fill('sam@crumb.test');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(link);
    expect(await page.getByText('The sourdough was raw in the middle.').count()).toBe(1);
  });

  test('a staff member of one business gets a 404 page for another business\'s item and never sees it listed', async () => {
    const page = await h.signIn('sam@crumb.test');
    const response = await page.goto(`/items/${floristItemId}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    for (const tab of ['needs', 'mine', 'waiting', 'done', 'all']) {
      await page.goto(`/?tab=${tab}`);
      expect(await page.content(), tab).not.toContain('Wilted roses');
    }
    expect(await page.content()).not.toContain('Petal Florist');
    // Asking for it by filter is the same 404.
    expect((await page.goto(`/?tab=all&business=${florist.businessId}`))?.status()).toBe(404);
  });

  test('signing out ends access at once, and so does being removed, in every open browser', async () => {
    const first = await h.signIn('sam@crumb.test');
    const second = await h.signIn('sam@crumb.test');
    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.waitForURL('**/sign-in?done=signed-out');
    await first.goto('/');
    expect(new URL(first.url()).pathname).toBe('/sign-in');
    // The other browser is still signed in: signing out ends one session.
    await second.goto('/');
    expect(new URL(second.url()).pathname).toBe('/');

    await removePerson(h.db, h.tenant.accountId, staffId);
    await second.goto(`/items/${bakeryItemId}`);
    expect(new URL(second.url()).pathname).toBe('/sign-in');
  });
});
