import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';
import type { Config } from '../../config/config.ts';
import { freePort } from '../../services/runtime/free-port.ts';
import { createApiHarness, type ApiHarness } from './api.ts';
import type { TestDatabase } from './database.ts';
import { TEST_PASSWORD } from './web.ts';

/** Debian's Chromium: `.ci/run` installs it (`apt-get install -y chromium`) when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Browser tests run inside `npm test` wherever Chromium is installed (CI installs it).
 * On a machine without it they are reported as skipped, with the command that
 * makes them run, rather than failing for a reason outside the code.
 */
export const describeInBrowser: typeof describe = existsSync(CHROMIUM)
  ? describe
  : (((name: string, ...rest: unknown[]) => {
      console.warn(`browser tests "${name}" skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      return (describe.skip as (...args: unknown[]) => unknown)(name, ...rest);
    }) as unknown as typeof describe);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** The API harness listening on a loopback port, with PUBLIC_URL saying that address, and a Chromium. */
export interface BrowserHarness extends ApiHarness {
  testDb: TestDatabase;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (no cookies): one per person in a test. */
  newContext(options?: { width?: number; height?: number }): Promise<BrowserContext>;
  /** Opens a fresh context, signs in through the form, and returns the page on the inbox. */
  signIn(email: string, password?: string, options?: { width?: number; height?: number }): Promise<Page>;
}

export async function createBrowserHarness(options: { config?: Partial<Config> } = {}): Promise<BrowserHarness> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const h = await createApiHarness({ config: { publicUrl: baseUrl, ...options.config } });
  await h.app.listen({ host: '127.0.0.1', port });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const harness: BrowserHarness = {
    ...h,
    baseUrl,
    browser,
    async newContext(size = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: size.width ?? 1280, height: size.height ?? 800 } });
      contexts.push(context);
      return context;
    },
    async signIn(email, password = TEST_PASSWORD, size) {
      const context = await harness.newContext(size);
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await h.close();
    },
  };
  return harness;
}
