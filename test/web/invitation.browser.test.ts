import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { deliverAlerts } from '../../services/alerts/deliver.ts';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addPerson } from '../support/web.ts';

describeInBrowser('an invitation, from the People page to a signed-in staff member', () => {
  let h: BrowserHarness;
  let outbox: string;
  let mail: MailTransport;

  beforeAll(async () => {
    h = await createBrowserHarness();
    outbox = await mkdtemp(path.join(os.tmpdir(), 'earshot-invitation-'));
    mail = createMailTransport({ smtpUrl: undefined, outboxDir: outbox });
    await addPerson(h.db, h.tenant.accountId, { email: 'owner@bistro.test', role: 'owner', displayName: 'Olive Owner' });
  });
  afterAll(async () => {
    mail.close();
    await h.close();
    await rm(outbox, { recursive: true, force: true });
  });

  test('the owner invites, the email carries the link, the staff member chooses a name and password and lands signed in', async () => {
    const owner = await h.signIn('owner@bistro.test', undefined, { width: 390, height: 844 });
    await owner.goto('/people');
    // Usable on a phone: nothing wider than the screen.
    expect(await owner.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    const invite = owner.locator('form[action="/people/invite"]');
    await invite.getByLabel('Their email').fill('sam.staff@bistro.test');
    await invite.getByLabel('Their role').selectOption('staff');
    await invite.getByRole('checkbox', { name: 'Alice Bistro' }).check();
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await owner.waitForURL('**/people?done=invited');
    await expect.poll(() => owner.getByRole('status').textContent()).toContain('Invitation sent');

    // The workers' delivery, here in process: with no SMTP_URL the email lands in the outbox as an .eml.
    const deliveries = await h.db.selectFrom('alert_deliveries').select('id').where('recipient', '=', 'sam.staff@bistro.test').execute();
    await deliverAlerts(deliveries.map((d) => d.id), { db: h.db, mail, config: h.config, credentialsKey: h.credentialsKey, log: pino({ level: 'silent' }) });
    const [file] = await readdir(outbox);
    const eml = (await readFile(path.join(outbox, file as string), 'utf8')).replace(/=\r?\n/g, '');
    const link = new RegExp(`${h.baseUrl}/invitations/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}`).exec(eml)?.[0];
    expect(link).toBeDefined();

    const context = await h.newContext({ width: 390, height: 844 });
    const staff = await context.newPage();
    await staff.goto(link as string);
    await expect.poll(() => staff.getByRole('heading', { level: 1 }).textContent()).toBe('Join Earshot');
    await staff.getByLabel('Your name').fill('Sam Staff');
    await staff.getByLabel('Password (at least 10 characters)').fill('sam has a long password');
    await staff.getByLabel('Repeat the password').fill('sam has a long password');
    await staff.getByRole('button', { name: 'Join and sign in' }).click();
    await staff.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => staff.getByRole('link', { name: 'Sam Staff' }).count()).toBe(1);
    await staff.getByRole('link', { name: 'Sam Staff' }).click();
    await staff.waitForURL('**/account');
    expect(await staff.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

    const person = await h.db.selectFrom('users').select(['role', 'business_ids', 'display_name']).where('email', '=', 'sam.staff@bistro.test').executeTakeFirstOrThrow();
    expect(person).toEqual({ role: 'staff', business_ids: [h.tenant.businessId], display_name: 'Sam Staff' });

    // The link worked once.
    const again = await (await h.newContext()).newPage();
    await again.goto(link as string);
    expect(await again.getByRole('heading', { level: 1 }).textContent()).toBe('This invitation was already used');
  });
});
