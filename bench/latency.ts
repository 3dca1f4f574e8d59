/**
 * `npm run bench:latency`: review-to-alert latency, measured end to end on loopback.
 * Two loopback platforms speaking the real protocols publish bad items at a steady rate,
 * taking turns (half the rate each): a Jetstream (test/support/fake-bluesky.ts) announces
 * posts naming a Bluesky source's terms, and a Google (test/support/fake-google-pubsub.ts)
 * adds one-star reviews to a Business Profile location and notifies them through the
 * Pub/Sub subscription a google_business source pulls. Earshot runs as its own process
 * (`earshot start`, every role) on a fresh PostgreSQL database, Redis and a recording SMTP
 * server on loopback. Each item's latency runs from the moment its platform announced it
 * (Jetstream's time_us, the Pub/Sub message's publishTime) to the SMTP 250 that accepted
 * its alert email. Prints p50/p95/p99 and counts published / stored / alerted / lost /
 * doubled, overall and per platform, beside what GET /v1/metrics/latency reports.
 *
 *   npm run bench:latency                              # 20 items a second (10 + 10) for 60 seconds
 *   node bench/latency.ts --rate 50 --seconds 20
 *
 * DATABASE_URL / REDIS_URL measure existing servers (the database is created and dropped);
 * unset, embedded ones are started and removed. Goal on a 2-core machine: p99 ≤ 2 s,
 * p50 ≤ 500 ms, nothing lost, nothing doubled; the exit code is 1 when it is missed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createAccount } from '../db/repositories/accounts.ts';
import { createApiKey } from '../services/keys/create-api-key.ts';
import { freePort } from '../services/runtime/free-port.ts';
import { spawnEarshot, type EarshotProcess } from '../test/support/child-process.ts';
import { startFakeBluesky, type FakeBluesky } from '../test/support/fake-bluesky.ts';
import { startFakeGooglePubsub, type FakeGooglePubsub } from '../test/support/fake-google-pubsub.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../test/support/smtp.ts';
import { openBenchServices, type BenchServices } from './bench-database.ts';
import { percentile } from './percentile.ts';

const { values } = parseArgs({ options: { rate: { type: 'string' }, seconds: { type: 'string' }, drain: { type: 'string' } } });
const RATE = Number(values.rate ?? 20);
const SECONDS = Number(values.seconds ?? 60);
/** After the last post, how long alerts may still take before the missing ones count as lost. */
const DRAIN_SECONDS = Number(values.drain ?? 30);
if (!(RATE > 0) || !(SECONDS > 0) || !(DRAIN_SECONDS >= 0)) throw new Error('--rate and --seconds take positive numbers, --drain a number of seconds');

const GOAL_P50_MS = 500;
const GOAL_P99_MS = 2_000;
const SECRET = `bench-secret-${randomBytes(16).toString('hex')}`;
const TERM = 'Quick Owl Bakery';
const OWNER_EMAIL = 'owner@quickowl.bench';
const COMPLAINTS = [
  'cold soup, a rude waiter and a forty minute wait. Never again.',
  'stale bread, mouldy cake and the staff were rude. Awful.',
  'terrible service, waited an hour and the order was wrong. Disgusting.',
  'filthy tables, burnt coffee and a rude cashier. Worst bakery ever.',
];

/** An email the SMTP server accepted: when it answered 250, and the item it was about. */
interface Accepted {
  at: number;
  itemId: string | undefined;
}

type Platform = 'bluesky' | 'google_business';
const PLATFORMS: readonly Platform[] = ['bluesky', 'google_business'];

interface Published {
  platform: Platform;
  /** The item's external id: a post's at:// URI, a review's reviewId. */
  externalId: string;
  /** When the platform announced the item, in ms: Jetstream's time_us, or the review's publication (its notification's publishTime). */
  announcedMs: number;
}

async function main(): Promise<void> {
  console.log(
    `Review-to-alert latency: ${RATE} bad items/s for ${SECONDS} s, taking turns: ${RATE / 2} posts/s through a loopback Jetstream ` +
      `and ${RATE / 2} reviews/s through a loopback Pub/Sub + Business Profile; alerts to a loopback SMTP server`,
  );
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-latency-'));
  const queuePrefix = `benchlat${randomBytes(4).toString('hex')}`;
  const services = await openBenchServices({ redis: true, maxConnections: 4 });
  const accepted: Accepted[] = [];
  let bluesky: FakeBluesky | undefined;
  let google: FakeGooglePubsub | undefined;
  let smtp: RecordingSmtp | undefined;
  let earshot: EarshotProcess | undefined;
  try {
    bluesky = await startFakeBluesky();
    google = await startFakeGooglePubsub();
    // Called as the message is accepted, right before the server answers 250.
    smtp = await startRecordingSmtp(undefined, (mail) => {
      const item = mail.headers.get('x-earshot-item');
      accepted.push({ at: Date.now(), itemId: typeof item === 'string' ? item : undefined });
      return undefined;
    });
    const account = await createAccount(services.db, 'Latency bench');
    const { key } = await createApiKey(services.db, { accountId: account.id, role: 'owner', name: 'Latency bench owner' });
    const port = await freePort();
    earshot = spawnEarshot(['start'], {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl ?? '',
      QUEUE_PREFIX: queuePrefix,
      EARSHOT_SECRET: SECRET,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SMTP_URL: smtp.url,
      BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl,
      EARSHOT_ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'warn',
    });
    const api = apiClient(`http://127.0.0.1:${port}`, key);
    await waitFor('Earshot to start', 60_000, async () => earshot!.stdout().includes('Earshot is running') || failIfExited(earshot!));
    const sources = await watchTheBakery(api, bluesky.url, google);
    for (const [platform, sourceId] of sources) {
      await waitFor(`the ${platform} stream to connect`, 30_000, async () => (await api('GET', `/v1/sources/${sourceId}`)).health?.stream?.state === 'connected');
      // The new source's first poll, out of the way before anything is measured.
      await waitFor(`the first ${platform} poll`, 30_000, async () => (await api('GET', `/v1/sources/${sourceId}`)).health?.lastSuccessAt != null);
    }

    const published = await publishSteadily(bluesky, google);
    const lastMs = Math.max(...published.map((item) => item.announcedMs));
    const counts = PLATFORMS.map((platform) => `${published.filter((item) => item.platform === platform).length} ${platform}`).join(', ');
    console.log(`  published ${published.length} items (${counts}); waiting up to ${DRAIN_SECONDS} s for the last alerts`);
    await waitFor('every alert', DRAIN_SECONDS * 1_000, async () => new Set(accepted.map((a) => a.itemId)).size >= published.length, { orTimeout: true });
    // A little longer, so an alert sent twice has the time to show.
    await sleep(2_000);
    const elapsedMs = Date.now() - lastMs;

    const alertTimes = await alertTimesByItem(services, sources, accepted);
    const report = measure(published, alertTimes);
    const firstMs = Math.min(...published.map((item) => item.announcedMs));
    const metrics = await api('GET', `/v1/metrics/latency?from=${new Date(firstMs - 60_000).toISOString()}`);
    printReport(report, metrics.sourceTypes ?? [], elapsedMs);
    for (const platform of PLATFORMS) {
      printPlatform(
        platform,
        measure(
          published.filter((item) => item.platform === platform),
          alertTimes,
        ),
      );
    }
    await printStages(services);
    const met = report.lost === 0 && report.doubled === 0 && report.p50 <= GOAL_P50_MS && report.p99 <= GOAL_P99_MS;
    console.log(met ? '  goal met' : `  goal MISSED (p50 ≤ ${GOAL_P50_MS} ms, p99 ≤ ${GOAL_P99_MS} ms, nothing lost, nothing doubled)`);
    if (!met) process.exitCode = 1;
  } finally {
    const code = await earshot?.kill('SIGTERM');
    if (earshot && code !== 0) console.log(`  Earshot exited with ${code}:\n${earshot.output().slice(-3_000)}`);
    await smtp?.stop();
    await bluesky?.stop();
    await google?.stop();
    await forgetQueues(services.redisUrl, queuePrefix);
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Api = (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<any>;

function apiClient(base: string, key: string): Api {
  return async (method, url, body) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * A business whose alerts go to one address, with a Bluesky source watching its name and a
 * Business Profile source for its location, notified through the loopback Pub/Sub subscription.
 */
async function watchTheBakery(api: Api, blueskyUrl: string, google: FakeGooglePubsub): Promise<Map<Platform, string>> {
  const business = await api('POST', '/v1/businesses', { name: TERM, alertEmails: [OWNER_EMAIL] });
  const bluesky = await api('POST', `/v1/businesses/${business.id}/sources`, {
    type: 'bluesky',
    config: { terms: [TERM], baseUrl: blueskyUrl },
    credentials: { identifier: 'watcher.bench', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  const googleBusiness = await api('POST', `/v1/businesses/${business.id}/sources`, google.source({ topic: false }));
  return new Map([
    ['bluesky', bluesky.id],
    ['google_business', googleBusiness.id],
  ]);
}

/**
 * RATE items a second for SECONDS, the platforms taking turns (a post, then a review),
 * each on its own schedule so a late one does not delay the rest.
 */
async function publishSteadily(bluesky: FakeBluesky, google: FakeGooglePubsub): Promise<Published[]> {
  const total = Math.round(RATE * SECONDS);
  const intervalMs = 1_000 / RATE;
  const published: Published[] = [];
  const start = Date.now();
  for (let n = 0; n < total; n++) {
    const due = start + n * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const complaint = COMPLAINTS[Math.floor(n / 2) % COMPLAINTS.length];
    if (n % 2 === 0) {
      const post = bluesky.post(`${TERM} order ${n}: ${complaint}`, { did: `did:plc:benchposter${String(n % 50).padStart(14, '0')}` });
      published.push({ platform: 'bluesky', externalId: bluesky.uriOf(post), announcedMs: post.timeUs / 1_000 });
    } else {
      // The fake stamps the review and publishes its notification in the same millisecond.
      const review = google.publishReview({ reviewId: `bench-review-${n}`, stars: 'ONE', comment: `Order ${n}: ${complaint}` });
      published.push({ platform: 'google_business', externalId: review.reviewId, announcedMs: Date.parse(review.updateTime) });
    }
  }
  return published;
}

interface Report {
  published: number;
  stored: number;
  alerted: number;
  lost: number;
  doubled: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Keys a published item as the database knows it: its platform's source and its external id. */
const itemKey = (platform: Platform, externalId: string) => `${platform} ${externalId}`;

interface AlertTimes {
  /** Every stored item, by itemKey. */
  stored: Set<string>;
  /** The moments SMTP accepted an alert naming the item, by itemKey. */
  accepted: Map<string, number[]>;
}

/** Each accepted email, tied to its item through the item id the email names. */
async function alertTimesByItem(services: BenchServices, sources: Map<Platform, string>, accepted: Accepted[]): Promise<AlertTimes> {
  const platformOf = new Map([...sources].map(([platform, sourceId]) => [sourceId, platform]));
  const rows = await sql<{ id: string; source_id: string; external_id: string }>`SELECT id, source_id, external_id FROM items`.execute(services.db);
  const keyOfItem = new Map<string, string>();
  for (const row of rows.rows) {
    const platform = platformOf.get(row.source_id);
    if (platform !== undefined) keyOfItem.set(row.id, itemKey(platform, row.external_id));
  }
  const emails = new Map<string, number[]>();
  for (const { at, itemId } of accepted) {
    const key = itemId === undefined ? undefined : keyOfItem.get(itemId);
    if (key === undefined) continue;
    emails.set(key, [...(emails.get(key) ?? []), at]);
  }
  return { stored: new Set(keyOfItem.values()), accepted: emails };
}

/** Each published item's first accepted alert, and how many items were stored, lost or alerted twice. */
function measure(published: Published[], alerts: AlertTimes): Report {
  const latencies: number[] = [];
  let doubled = 0;
  let stored = 0;
  for (const item of published) {
    const key = itemKey(item.platform, item.externalId);
    if (alerts.stored.has(key)) stored++;
    const times = alerts.accepted.get(key);
    if (times === undefined) continue;
    if (times.length > 1) doubled++;
    latencies.push(Math.min(...times) - item.announcedMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    published: published.length,
    stored,
    alerted: latencies.length,
    lost: published.length - latencies.length,
    doubled,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

interface SourceTypeLatencyJson {
  sourceType: string;
  count: number;
  alerted: number;
  announcedToFirstSeen: { p50: number | null; p95: number | null; p99: number | null };
  firstSeenToAlert: { p50: number | null; p95: number | null; p99: number | null };
}

const ms = (value: number | null) => (value === null || Number.isNaN(value) ? '–' : `${Math.round(value)} ms`);

function printReport(report: Report, metrics: SourceTypeLatencyJson[], elapsedMs: number): void {
  console.log(`  published ${report.published}, stored ${report.stored}, alerted ${report.alerted}, lost ${report.lost}, doubled ${report.doubled}`);
  console.log(`  publish → SMTP 250: p50 ${ms(report.p50)}, p95 ${ms(report.p95)}, p99 ${ms(report.p99)}, max ${ms(report.max)}`);
  console.log(`  (measured ${Math.round(elapsedMs / 1_000)} s after the last post)`);
  for (const row of metrics) {
    const { announcedToFirstSeen: seen, firstSeenToAlert: alert } = row;
    console.log(
      `  GET /v1/metrics/latency, ${row.sourceType}: ${row.count} items, ${row.alerted} alerted; ` +
        `announced → first seen p50 ${ms(seen.p50)}, p95 ${ms(seen.p95)}, p99 ${ms(seen.p99)}; ` +
        `first seen → alert accepted p50 ${ms(alert.p50)}, p95 ${ms(alert.p95)}, p99 ${ms(alert.p99)}`,
    );
  }
}

function printPlatform(platform: Platform, report: Report): void {
  console.log(
    `  ${platform}: published ${report.published}, stored ${report.stored}, alerted ${report.alerted}, lost ${report.lost}, doubled ${report.doubled}; ` +
      `publish → SMTP 250 p50 ${ms(report.p50)}, p95 ${ms(report.p95)}, p99 ${ms(report.p99)}, max ${ms(report.max)}`,
  );
}

/** Where the time goes, stage by stage (p50 / p95 / p99 over the bad items), to see what to make faster. */
async function printStages(services: BenchServices): Promise<void> {
  const stages = await sql<{ stage: string; p50: number; p95: number; p99: number }>`
    WITH stage AS (
      SELECT 'announced → stored' AS stage, 1 AS position, extract(epoch FROM i.first_seen_at - i.announced_at) * 1000 AS ms FROM items i
      UNION ALL SELECT 'stored → judged', 2, extract(epoch FROM i.analyzed_at - i.first_seen_at) * 1000 FROM items i
      UNION ALL SELECT 'judged → alert written', 3, extract(epoch FROM d.created_at - i.analyzed_at) * 1000 FROM items i JOIN alert_deliveries d ON d.item_id = i.id AND d.kind = 'negative_item'
      UNION ALL SELECT 'alert written → claimed', 4, extract(epoch FROM d.claimed_at - d.created_at) * 1000 FROM items i JOIN alert_deliveries d ON d.item_id = i.id AND d.kind = 'negative_item'
      UNION ALL SELECT 'claimed → accepted', 5, extract(epoch FROM d.sent_at - d.claimed_at) * 1000 FROM items i JOIN alert_deliveries d ON d.item_id = i.id AND d.kind = 'negative_item'
    )
    SELECT stage,
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::float8 AS p50,
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::float8 AS p95,
      round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::float8 AS p99
    FROM stage GROUP BY stage, position ORDER BY position`.execute(services.db);
  for (const row of stages.rows) console.log(`    ${row.stage.padEnd(26)} p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms`);
}

/** The run's queues leave nothing in a shared Redis. */
async function forgetQueues(redisUrl: string | undefined, prefix: string): Promise<void> {
  if (redisUrl === undefined) return;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function failIfExited(process: EarshotProcess): false {
  const child = process.child;
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Earshot exited before it started:\n${process.output().slice(-3_000)}`);
  return false;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, options: { orTimeout?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
      if (String(error).includes('exited before it started')) throw error;
    }
    if (Date.now() > deadline) {
      if (options.orTimeout) return;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(20);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await main();
