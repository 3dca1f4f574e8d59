import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { startEarshot } from '../runtime/earshot.ts';
import { createLogger } from '../runtime/logger.ts';
import { createApiKey } from '../keys/create-api-key.ts';
import { DEMO_ACCOUNT, holdDemoLock, removeDemoAccount } from './demo-account.ts';
import { createDemoReplier, type FlaggedItem } from './demo-reply.ts';
import { sandboxCredentials, startPlatformSandbox } from './platform-sandbox.ts';

const NEW_REVIEW_AFTER_MS = 40_000;

function say(line: string): void {
  process.stdout.write(`demo: ${line}\n`);
}

/**
 * `earshot demo`: Earshot plus a loopback sandbox that answers like Google Places, Google
 * Business Profile, Bluesky, Yelp and Trustpilot. It creates a demo business through the API,
 * polls it, shows flagged items and alert emails as they arrive, and answers the worst
 * flagged Google review on Google (see demo-reply.ts). Runs until Ctrl-C or SIGTERM, then
 * deletes what it made (see demo-account.ts for what happens when it is killed before it can).
 */
export async function runDemo(baseConfig: Config): Promise<number> {
  // The sandbox lives on loopback, which sources may only reach when private URLs are allowed.
  // Its Bluesky posts exist only in the sandbox, which speaks no Jetstream: the real network's stream could bring none of them.
  const config: Config = Object.freeze({
    ...baseConfig,
    allowPrivateUrls: true,
    schedulerTickSeconds: 5,
    logLevel: baseConfig.logLevel === 'info' ? 'warn' : baseConfig.logLevel,
    blueskyJetstreamUrl: null,
  });
  // Listened for from the start: a signal during set-up still ends in the clean-up below.
  let stopping = false;
  const onSignal = () => {
    stopping = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const sandbox = await startPlatformSandbox();
  say(`platform sandbox (Google Places, Google Business Profile, Bluesky, Yelp and Trustpilot shapes) listening on ${sandbox.url}`);
  const earshot = await startEarshot(config, ['api', 'worker', 'scheduler'], createLogger(config));
  let releaseLock: (() => Promise<void>) | undefined;
  let accountId: string | undefined;
  const stop = async () => {
    try {
      if (accountId !== undefined) {
        const sources = await removeDemoAccount(earshot.db, accountId);
        say(`removed the demo account with its business, ${sources} sources and their items`);
      }
      await releaseLock?.();
    } finally {
      await earshot.stop();
      await sandbox.stop();
    }
  };
  try {
    const url = earshot.url as string;
    say(`Earshot API on ${url}`);
    const leftovers = earshot.demoLeftoversRemoved;
    if (leftovers > 0) say(`removed ${leftovers} sources an earlier demo left behind when it was killed`);
    releaseLock = await holdDemoLock(earshot.db);
    if (releaseLock === undefined) {
      process.stderr.write('earshot demo: another demo is running on this database; stop it first (Ctrl-C in its terminal)\n');
      return 1;
    }
    const account = await createAccount(earshot.db, DEMO_ACCOUNT);
    accountId = account.id;
    const { key } = await createApiKey(earshot.db, { accountId: account.id, role: 'owner', name: 'Demo owner' });
    say(`demo owner key (this run only): ${key}`);
    const api = apiClient(url, key);

    const business = await api('POST', '/v1/businesses', { name: 'Demo Bistro', timezone: 'Europe/Paris', alertEmails: ['owner@demo-bistro.example'] });
    say(`created business "Demo Bistro" (${business.id}) alerting owner@demo-bistro.example`);
    const places = await api('POST', `/v1/businesses/${business.id}/sources`, {
      type: 'google_places',
      config: { placeId: sandbox.placeId, baseUrl: sandbox.url },
      credentials: sandboxCredentials.googlePlaces,
      pollEveryMinutes: 1,
    });
    const googleBusiness = await api('POST', `/v1/businesses/${business.id}/sources`, {
      type: 'google_business',
      config: { ...sandbox.googleBusiness, baseUrl: sandbox.url, tokenBaseUrl: sandbox.url },
      credentials: sandboxCredentials.googleBusiness,
      pollEveryMinutes: 1,
    });
    const bluesky = await api('POST', `/v1/businesses/${business.id}/sources`, {
      type: 'bluesky',
      config: { terms: ['Demo Bistro'], baseUrl: sandbox.url },
      credentials: sandboxCredentials.bluesky,
      pollEveryMinutes: 1,
    });
    const yelp = await api('POST', `/v1/businesses/${business.id}/sources`, {
      type: 'yelp',
      config: { businessId: sandbox.yelpBusinessId, baseUrl: sandbox.url },
      credentials: sandboxCredentials.yelp,
      pollEveryMinutes: 1,
    });
    const trustpilot = await api('POST', `/v1/businesses/${business.id}/sources`, {
      type: 'trustpilot',
      config: { businessUnitId: sandbox.trustpilotBusinessUnitId, baseUrl: sandbox.url },
      credentials: sandboxCredentials.trustpilot,
      pollEveryMinutes: 1,
    });
    const sources = { google_places: places.id, google_business: googleBusiness.id, bluesky: bluesky.id, yelp: yelp.id, trustpilot: trustpilot.id };
    say(`added sources ${Object.entries(sources).map(([type, id]) => `${type} (${id})`).join(', ')}, polled every minute`);
    for (const id of Object.values(sources)) await api('POST', `/v1/sources/${id}/poll`);
    say('asked for an immediate poll of each; watching for flagged items…');

    const outbox = path.join(config.dataDir, 'outbox');
    const seenItems = new Set<string>();
    const seenMails = new Set<string>(await listEml(outbox));
    const startedAt = Date.now();
    let addedReview = false;
    const replier = createDemoReplier({ api, business: 'Demo Bistro', say });
    say(`try it yourself:  curl -H "Authorization: Bearer ${key}" "${url}/v1/items?flagged=true"`);
    while (!stopping) {
      const { items } = await api('GET', `/v1/items?businessId=${business.id}&flagged=true&limit=50`);
      const flaggedOnGoogle: FlaggedItem[] = [];
      for (const item of items as Array<FlaggedItem & { sourceId: string; body: string }>) {
        if (seenItems.has(item.id)) continue;
        seenItems.add(item.id);
        const stars = item.rating === null ? 'mention' : `${item.rating}★ review`;
        const platform = Object.entries(sources).find(([, id]) => id === item.sourceId)?.[0] ?? 'source';
        say(`flagged ${platform} ${stars} by ${item.author ?? 'someone'}: "${item.body.slice(0, 70)}${item.body.length > 70 ? '…' : ''}"  → ${url}/v1/items/${item.id}`);
        if (item.sourceId === googleBusiness.id) flaggedOnGoogle.push(item);
      }
      await replier.answer(flaggedOnGoogle);
      await replier.follow();
      for (const file of await listEml(outbox)) {
        if (seenMails.has(file)) continue;
        seenMails.add(file);
        say(`alert email written: ${path.join(outbox, file)}`);
      }
      if (!addedReview && Date.now() - startedAt > NEW_REVIEW_AFTER_MS) {
        addedReview = true;
        const late = { rating: 1, author: 'Late Diner', text: 'Waited 50 minutes for cold pasta and nobody apologised. Never again.' };
        // The same place on both Google APIs: the review shows on each.
        sandbox.addReview(late);
        sandbox.addBusinessReview(late);
        sandbox.addTrustpilotReview({ rating: 2, author: 'Noor H.', text: 'Ordered the tasting menu for delivery; it arrived an hour late and half of it was missing.' });
        say('the sandbox just received a new 1★ Google review and a 2★ Trustpilot review; they will be picked up on the next poll (within a minute)');
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    say('stopping: removing what the demo made…');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  }
}

async function listEml(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
}

function apiClient(baseUrl: string, key: string) {
  return async (method: 'GET' | 'POST', route: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${JSON.stringify(payload)}`);
    return payload;
  };
}
