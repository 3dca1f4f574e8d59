import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBrowserHarness, describeInBrowser, type BrowserHarness } from '../support/browser.ts';
import { addPerson } from '../support/web.ts';

/**
 * The attack SameSite=Lax does not stop: a page on another port of the same host is
 * "same-site", so the browser sends Earshot's session cookie with its form post.
 */
describeInBrowser('a form posted from another origin', () => {
  let h: BrowserHarness;
  let evil: http.Server;
  let evilUrl: string;

  beforeAll(async () => {
    h = await createBrowserHarness();
    await addPerson(h.db, h.tenant.accountId, { email: 'owner@bistro.test', role: 'owner', displayName: 'Olive' });
    evil = http.createServer((request, response) => {
      const target = new URL(request.url ?? '/', 'http://x').searchParams.get('target') ?? '/';
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><form id="f" method="post" action="${h.baseUrl}${target}"><input type="hidden" name="_csrf" value="guessed"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => evil?.close(resolve));
    await h?.close();
  });

  test('from another port of the same host is refused, and the session is untouched', async () => {
    const page = await h.signIn('owner@bistro.test');
    const sessionsBefore = await h.db.selectFrom('sessions').select('id').execute();
    const refused = page.waitForResponse((response) => response.url() === `${h.baseUrl}/sign-out`);
    await page.goto(`${evilUrl}/?target=/sign-out`);
    const response = await refused;
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('This form did not come from an Earshot page');
    // The cookie went along (same site), yet nothing happened: the person is still signed in.
    expect(await h.db.selectFrom('sessions').select('id').execute()).toEqual(sessionsBefore);
    await page.goto(`${h.baseUrl}/sign-in`);
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
