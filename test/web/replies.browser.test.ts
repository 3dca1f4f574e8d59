import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { listReplies } from '../../db/repositories/item-replies.ts';
import { createMailTransport } from '../../services/alerts/mail-transport.ts';
import { sandboxCredentials, startPlatformSandbox, type PlatformSandbox } from '../../services/demo/platform-sandbox.ts';
import { addReplyTemplate } from '../../services/replies/templates.ts';
import { startWorkers, type RunningWorkers } from '../../services/runtime/workers.ts';
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

/** The reply going out for real: workers in this process send it to the demo sandbox's Google Business Profile on loopback. */
describeInBrowser('a reply published from the item page', () => {
  let h: BrowserHarness;
  let sandbox: PlatformSandbox;
  let workers: RunningWorkers;
  let outbox: string;
  let itemId: string;
  const everything = () => ({ accountId: h.tenant.accountId, businessIds: null });

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
    // A short window, so the test sees the countdown end and the send happen.
    h = await createBrowserHarness({ config: { allowPrivateUrls: true, replyUndoSeconds: 2 } });
    outbox = await mkdtemp(path.join(os.tmpdir(), 'earshot-reply-outbox-'));
    const mail = createMailTransport({ smtpUrl: undefined, outboxDir: outbox });
    workers = startWorkers({ db: h.db, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, mail, log: pino({ level: 'silent' }) });
    await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam' });
    const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Demo Bistro', timezone: 'UTC', alertEmails: ['a@example.com'] });
    const source = await createSource(h.db, h.credentialsKey, {
      accountId: h.tenant.accountId,
      businessId: business.id,
      type: 'google_business',
      config: { ...sandbox.googleBusiness, baseUrl: sandbox.url, tokenBaseUrl: sandbox.url },
      credentials: sandboxCredentials.googleBusiness,
      pollEveryMinutes: 15,
      scheduled: false,
    });
    // Priya's review as a poll of the sandbox stores it: the bare review id is the external id.
    itemId = await insertItem(h.db, { accountId: h.tenant.accountId, businessId: business.id, sourceId: source.id }, {
      rating: 1,
      author: 'Priya Nandakumar',
      body: 'Booked a table for eight and found it given away when we arrived.',
      external_id: sandbox.businessReviewIdOf('Priya Nandakumar'),
      flagged: true,
    });
  });
  afterAll(async () => {
    await workers?.close();
    await h?.close();
    await sandbox?.stop();
    if (outbox) await rm(outbox, { recursive: true, force: true });
  });

  test('staff send a reply, watch the countdown, and see it published on Google without reloading; Google gets one PUT', async () => {
    const sam = await h.signIn('sam@bistro.test');
    await sam.goto(`/items/${itemId}`);
    await sam.getByLabel(/^Your reply/).fill('Dear Priya, we are so sorry. Please call us so we can put it right.');
    await sam.getByRole('button', { name: 'Send' }).click();
    await sam.waitForURL(/done=reply/);
    await expect.poll(() => sam.locator('[data-send-at]').textContent()).toMatch(/^\d+ s$/);
    expect(sandbox.businessReplies).toEqual([]);

    // The page looks again by itself once the window is over.
    await expect.poll(() => sam.locator('#replies').textContent(), { timeout: 20_000 }).toContain('Published on Google');
    expect(await sam.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    const [reply] = await listReplies(h.db, everything(), itemId);
    expect(reply).toMatchObject({ status: 'published', author: 'Sam', text: 'Dear Priya, we are so sorry. Please call us so we can put it right.' });
    expect(reply?.publishedAt).toBeInstanceOf(Date);

    // Give a duplicate every chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sandbox.businessReplies).toEqual([
      { reviewId: sandbox.businessReviewIdOf('Priya Nandakumar'), method: 'PUT', comment: 'Dear Priya, we are so sorry. Please call us so we can put it right.' },
    ]);
    expect(await sam.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
