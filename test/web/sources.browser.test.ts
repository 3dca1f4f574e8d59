import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import { startWorkers, type RunningWorkers } from '../../services/runtime/workers.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { waitUntil } from '../support/wait.ts';
import { addPerson } from '../support/web.ts';

/** Two recent entries: a first poll reads only the last few days of a feed. */
const feed = (now = Date.now()) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local news</title><link>http://127.0.0.1/</link>
<item><guid>post-1</guid><title>Alice Bistro opens a terrace</title><link>http://127.0.0.1/1</link><description>The bistro's new terrace is lovely.</description><pubDate>${new Date(now - 7_200_000).toUTCString()}</pubDate></item>
<item><guid>post-2</guid><title>Queues at Alice Bistro</title><link>http://127.0.0.1/2</link><description>Waited an hour at Alice Bistro.</description><pubDate>${new Date(now - 3_600_000).toUTCString()}</pubDate></item>
</channel></rss>`;

/** The owner adds a feed through the generated form and follows its health on the Sources page; nothing leaves loopback. */
describeInBrowser('an owner on the Sources page', () => {
  let h: BrowserHarness;
  let feedServer: Server;
  let feedUrl: string;
  let workers: RunningWorkers;
  let mail: MailTransport;
  let outbox: string;

  beforeAll(async () => {
    feedServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(feed());
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
    h = await createBrowserHarness({ config: { allowPrivateUrls: true } });
    await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
    // Real workers poll what the page asks for; alerts land in a folder, never on the network.
    outbox = await mkdtemp(path.join(os.tmpdir(), 'earshot-sources-outbox-'));
    mail = createMailTransport({ smtpUrl: undefined, outboxDir: outbox });
    workers = startWorkers({ db: h.db, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, mail, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await workers?.close();
    mail?.close();
    await h?.close();
    await rm(outbox, { recursive: true, force: true });
    await new Promise((resolve) => feedServer?.close(resolve));
  });

  test('adds an RSS source through the form, polls it now, and sees its health', async () => {
    const page = await h.signIn('olive@bistro.test', undefined, { width: 390, height: 800 });
    await page.getByRole('link', { name: 'Sources', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sources');
    await page.getByRole('link', { name: 'Add a source to Alice Bistro' }).click();
    await page.getByLabel('RSS / Atom feed (incl. Google Alerts)').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.searchParams.get('type') === 'rss');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Add a RSS / Atom feed (incl. Google Alerts) source to Alice Bistro');

    // The form is the connector's schema: the feed's URL, its terms one per line, how often.
    await page.getByLabel('URL', { exact: true }).fill(feedUrl);
    await page.getByLabel('Terms (optional)', { exact: true }).fill('Alice Bistro');
    await page.getByLabel('Poll every (minutes)').fill('15');
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.waitForURL((url) => url.pathname === '/sources' && url.searchParams.get('done') === 'created');
    expect(await page.getByRole('status').textContent()).toContain('Source added.');

    const card = page.locator('article.source', { hasText: feedUrl });
    expect(await card.getByRole('heading').textContent()).toContain('RSS / Atom feed (incl. Google Alerts)');
    expect(await card.textContent()).toContain('Working');
    expect(await card.locator('dt:has-text("Last success") + dd').textContent()).toBe('never');
    const sourceId = (await card.getAttribute('id'))!.replace('source-', '');

    // Poll now: queued from the page, polled by a worker, and the health shows it.
    await card.getByRole('button', { name: 'Poll now' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'polled');
    expect(await page.getByRole('status').textContent()).toContain('Poll queued');
    await waitUntil('the worker to poll the feed', async () => (await h.call({ method: 'GET', url: `/v1/sources/${sourceId}` })).json().health.lastSuccessAt !== null);
    await page.reload();
    const polled = page.locator(`#source-${sourceId}`);
    expect(await polled.locator('dt:has-text("Last success") + dd').textContent()).toMatch(/ago\)$/);
    expect(await polled.locator('dt:has-text("Items") + dd').textContent()).toBe('2');
    expect(await polled.locator('dt:has-text("Last error") + dd').textContent()).toBe('none');

    // Usable on a phone: nothing wider than the screen, on the list or the source's own page.
    const fitsTheScreen = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
    expect(await fitsTheScreen()).toBe(true);
    await polled.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL((url) => url.pathname === `/sources/${sourceId}`);
    expect(await fitsTheScreen()).toBe(true);
    expect(await page.getByLabel('Terms (optional)', { exact: true }).inputValue()).toBe('Alice Bistro');
    await page.getByRole('link', { name: 'All sources' }).click();
    await page.waitForURL((url) => url.pathname === '/sources');

    // The API sees the same source and health.
    const api = await h.call({ method: 'GET', url: `/v1/sources/${sourceId}` });
    expect(api.json()).toMatchObject({ type: 'rss', config: { url: feedUrl, terms: ['Alice Bistro'] }, pollEveryMinutes: 15, health: { status: 'ok', itemCount: 2 } });

    // Pausing from the card.
    await polled.getByRole('button', { name: 'Pause' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'paused');
    expect(await page.locator(`#source-${sourceId}`).getByRole('button', { name: 'Resume' }).isVisible()).toBe(true);
  });
});
