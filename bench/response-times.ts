/**
 * `npm run bench:metrics`: GET /v1/metrics/response-times over HTTP, as a consultant
 * key for the whole account asks it, on 1,000,000 items in 100 businesses: grouped by
 * business and by week, in calendar time and in opening hours. Each request goes
 * through the whole API (key check, rate limit in Redis, bringing the in-memory facts
 * up to date from PostgreSQL, the figures, JSON). Prints p50/p95/p99 beside the goal
 * (p95 ≤ 100 ms): with no writes between requests, and with five items answered
 * before each (the chunks they are in are read again). Also prints the first request
 * of a process (it reads every item once) and the time of a bare `count(*)` over the
 * same items, this machine's floor for any one pass in PostgreSQL.
 *
 *   npm run bench:metrics
 *   node bench/response-times.ts --items 200000 --runs 20
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { request } from 'undici';
import { loadConfig } from '../config/config.ts';
import { createApiKey } from '../services/keys/create-api-key.ts';
import { buildApp } from '../services/api/app.ts';
import type { ResponseTimeGrouping } from '../services/response-times/response-time-query.ts';
import { createQueues } from '../services/jobs/queues.ts';
import { deriveCredentialsKey } from '../services/sources/credentials.ts';
import { openBenchServices } from './bench-database.ts';
import { percentile } from './percentile.ts';
import { seedItems } from './seed-items.ts';

const { values } = parseArgs({ options: { items: { type: 'string' }, businesses: { type: 'string' }, runs: { type: 'string' } } });
const ITEMS = Number(values.items ?? 1_000_000);
const BUSINESSES = Number(values.businesses ?? 100);
const RUNS = Number(values.runs ?? 30);

/** Times `run` alone; `prepare`, when given, runs untimed before each. */
async function measure(label: string, runs: number, run: () => Promise<unknown>, prepare?: () => Promise<unknown>): Promise<number> {
  await run(); // warm the cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (prepare) await prepare();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((p) => percentile(times, p)) as [number, number, number];
  console.log(`${label.padEnd(58)} p50 ${p50.toFixed(0).padStart(6)} ms  p95 ${p95.toFixed(0).padStart(6)} ms  p99 ${p99.toFixed(0).padStart(6)} ms`);
  return p95;
}

async function main(): Promise<void> {
  const services = await openBenchServices({ redis: true, maxConnections: 4 });
  try {
    const { db } = services;

    const seedStart = performance.now();
    // As many flagged as negative items: the figures' segments split on both.
    const { accountId } = await seedItems(db, { items: ITEMS, businesses: BUSINESSES, sourcesPerBusiness: 1, flaggedShare: 0.4 });
    console.log(`seeded ${ITEMS.toLocaleString('en')} items over ${BUSINESSES} businesses in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    await measure('floor: count(*) over the same items', RUNS, () =>
      sql`SELECT count(*) FROM items WHERE account_id = ${accountId}`.execute(db),
    );

    const config = loadConfig({ ...process.env, API_RATE_LIMIT_PER_MINUTE: '100000' });
    const queues = createQueues(services.redisUrl!, `bench-${Date.now()}`);
    const app = await buildApp({ db, queues, config, credentialsKey: deriveCredentialsKey(randomBytes(32).toString('hex')), logger: false });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { key } = await createApiKey(db, { accountId, role: 'consultant', name: 'Bench consultant' });
      const report = (groupBy: ResponseTimeGrouping, businessHours: boolean) => async () => {
        const response = await request(`${url}/v1/metrics/response-times?groupBy=${groupBy}&businessHours=${businessHours}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        const body = (await response.body.json()) as { groups?: unknown[] };
        if (response.statusCode !== 200 || body.groups === undefined) throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(body)}`);
        return body;
      };
      const coldStart = performance.now();
      await report('business', false)();
      console.log(`first request of a process (reads all ${ITEMS.toLocaleString('en')} items): ${(performance.now() - coldStart).toFixed(0)} ms`);

      // Five unanswered items answered before each query, as staff and polls would.
      const answerFive = async () => {
        const answered = await sql`
          UPDATE items SET first_response_at = coalesce(published_at, first_seen_at) + interval '3 hours', first_response_source = 'platform', status = 'responded'
          WHERE id IN (SELECT id FROM items WHERE first_response_at IS NULL AND account_id = ${accountId} LIMIT 5)
        `.execute(db);
        if (answered.numAffectedRows !== 5n) throw new Error(`answered ${answered.numAffectedRows} items, not 5`);
      };
      const results: Array<[string, number]> = [];
      for (const businessHours of [false, true]) {
        for (const groupBy of ['business', 'week', 'business,week'] as const) {
          const label = `by ${groupBy}, ${businessHours ? 'opening hours' : 'calendar'}`;
          results.push([label, await measure(label, RUNS, report(groupBy, businessHours))]);
          const run = report(groupBy, businessHours);
          results.push([
            `${label}, 5 items answered before each`,
            await measure(`${label}, 5 answered before each`, RUNS, run, answerFive),
          ]);
        }
      }
      for (const [label, p95] of results) {
        console.log(`goal p95 ≤ 100 ms, ${label}: ${p95 <= 100 ? 'met' : `missed (${(p95 / 100).toFixed(1)}× the goal)`}`);
      }
    } finally {
      await app.close();
      await queues.close();
    }
  } finally {
    await services.close();
  }
}

await main();
