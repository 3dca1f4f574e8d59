/**
 * `npm run bench:metrics`: what GET /v1/metrics/response-times does (bring the in-memory
 * facts up to date from PostgreSQL, then compute) over 1,000,000 items in 100
 * businesses, as a consultant key for the whole account would ask it: grouped by
 * business and by week, in calendar time and in opening hours. Prints p50/p95/p99
 * beside the goal (p95 ≤ 100 ms): with no writes between queries, and with five items
 * answered before each query (the chunks they are in are read again). Also prints the
 * first query of a process (it reads every item once) and the time of a bare
 * `count(*)` over the same items, this machine's floor for any one pass in PostgreSQL.
 *
 *   npm run bench:metrics
 *   node bench/response-times.ts --items 200000 --runs 20
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { createResponseFactsCache } from '../services/metrics/response-facts-cache.ts';
import type { ResponseTimeGrouping } from '../services/metrics/response-time-query.ts';
import { responseTimeReport } from '../services/metrics/response-time-report.ts';
import { openBenchServices } from './bench-database.ts';

const { values } = parseArgs({ options: { items: { type: 'string' }, businesses: { type: 'string' }, runs: { type: 'string' } } });
const ITEMS = Number(values.items ?? 1_000_000);
const BUSINESSES = Number(values.businesses ?? 100);
const RUNS = Number(values.runs ?? 30);

/** Two years of items; 80% answered within 0–72 h, 30% resolved; Paris hours on every business. */
async function seed(db: Db): Promise<string> {
  const account = await db.insertInto('accounts').values({ name: 'Bench agency' }).returning('id').executeTakeFirstOrThrow();
  const hours = JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '09:00', close: '18:00' }]])));
  await sql`
    INSERT INTO businesses (account_id, name, timezone, alert_emails, opening_hours)
    SELECT ${account.id}, 'Business ' || n, 'Europe/Paris', '{}', ${hours}::jsonb FROM generate_series(1, ${BUSINESSES}) n
  `.execute(db);
  await sql`
    INSERT INTO sources (id, account_id, business_id, type, poll_every_minutes)
    SELECT gen_random_uuid(), account_id, id, CASE WHEN random() < 0.5 THEN 'google_places' ELSE 'trustpilot' END, 15 FROM businesses
  `.execute(db);
  await sql`
    INSERT INTO items (account_id, business_id, source_id, kind, external_id, rating, body, published_at, sort_at, content_hash,
                       sentiment_label, flagged, status, first_response_at, first_response_source, resolved_at)
    SELECT s.account_id, s.business_id, s.id, 'review', 'r' || g.n, 1 + g.n % 5, '', p.at, p.at, md5(g.n::text),
           CASE WHEN g.n % 5 < 2 THEN 'negative' ELSE 'positive' END, g.n % 5 < 2,
           CASE WHEN r.answered THEN 'responded' ELSE 'new' END,
           CASE WHEN r.answered THEN p.at + random() * interval '72 hours' END,
           CASE WHEN r.answered THEN 'platform' END,
           CASE WHEN g.n % 10 < 3 THEN p.at + random() * interval '10 days' END
    FROM generate_series(1, ${ITEMS}) g(n)
    JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, account_id, business_id FROM sources) s ON s.k = g.n % ${BUSINESSES}
    CROSS JOIN LATERAL (SELECT now() - random() * interval '730 days' AS at) p
    CROSS JOIN LATERAL (SELECT random() < 0.8 AS answered) r
  `.execute(db);
  await sql`VACUUM ANALYZE`.execute(db);
  return account.id;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

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
  const services = await openBenchServices({ redis: false, maxConnections: 4 });
  try {
    const { db } = services;

    const seedStart = performance.now();
    const accountId = await seed(db);
    console.log(`seeded ${ITEMS.toLocaleString('en')} items over ${BUSINESSES} businesses in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const consultant = { accountId, businessIds: null };
    await measure('floor: count(*) over the same items', RUNS, () =>
      sql`SELECT count(*) FROM items WHERE account_id = ${accountId}`.execute(db),
    );
    const facts = createResponseFactsCache();
    const report = (groupBy: ResponseTimeGrouping, businessHours: boolean) => async () => {
      const scoped = await facts.read(db, consultant, []);
      return responseTimeReport(scoped.businesses, scoped.chunks, { businessIds: [], groupBy, businessHours, now: new Date() });
    };
    const coldStart = performance.now();
    await report('business', false)();
    console.log(`first query of a process (reads all ${ITEMS.toLocaleString('en')} items): ${(performance.now() - coldStart).toFixed(0)} ms`);

    // Five unanswered items answered before each query, as staff and polls would.
    const answerFive = async () => {
      await sql`
        UPDATE items SET first_response_at = coalesce(published_at, first_seen_at) + interval '3 hours', first_response_source = 'platform', status = 'responded'
        WHERE id IN (SELECT id FROM items WHERE first_response_at IS NULL AND account_id = ${accountId} LIMIT 5)
      `.execute(db);
    };
    const results: Array<[string, number]> = [];
    for (const businessHours of [false, true]) {
      for (const groupBy of ['business', 'week'] as const) {
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
    await services.close();
  }
}

await main();
