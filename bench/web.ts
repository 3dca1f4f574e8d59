/**
 * `npm run bench:web`: the item list and the inbox page under load, beside a Fastify
 * hello world served by the same process in the same run, on 1,000,000 items of one
 * account. 50 connections ask one URL back to back (autocannon, in a process of its
 * own) for a few seconds of warm-up and then the measured seconds. Prints requests/s,
 * p50/p95/p99 and the CPU the servers' process spent per request for each, and the
 * ratios to hello world: the figures that travel between machines.
 *
 *   (a) Fastify hello world (this machine's ceiling for any route)
 *   (a') the same server answering (b)'s JSON, as a fixed string: the ceiling for an
 *       answer that size, so the part of the gap that is bytes on the wire shows
 *   (b) GET /v1/items?flagged=true&status=new with an owner key: key check, rate
 *       limit counted in Redis, the list query, JSON
 *   (c) GET / (the inbox page) signed in, when the web app serves it
 *
 *   npm run bench:web
 *   node bench/web.ts --items 200000 --seconds 5
 *
 * Seeding takes most of a minute. To measure again and again on one seeded database
 * (against a PostgreSQL of your own: DATABASE_URL), keep it with `--keep`, which prints
 * its name, then pass that name to `--reuse` (it is kept again); drop it by hand when done:
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… node bench/web.ts --keep
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… node bench/web.ts --reuse earshot_bench_0123456789ab
 *   psql postgres://… -c 'DROP DATABASE earshot_bench_0123456789ab'
 *
 * The default run seeds, measures and drops its database.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { request } from 'undici';
import { loadConfig } from '../config/config.ts';
import { insertUser } from '../db/repositories/users.ts';
import type { Db } from '../db/database.ts';
import { buildApp } from '../services/api/app.ts';
import { createQueues, type Queues } from '../services/jobs/queues.ts';
import { createApiKey } from '../services/keys/create-api-key.ts';
import { hashPassword } from '../services/people/passwords.ts';
import { signIn } from '../services/people/sign-in.ts';
import { deriveCredentialsKey } from '../services/sources/credentials.ts';
import { SESSION_COOKIE } from '../web/session-auth.ts';
import { signInLimits } from '../web/web-context.ts';
import { openBenchServices, type BenchServices } from './bench-database.ts';
import { measureLoad, type LoadFigures } from './http-load.ts';
import { seedItems } from './seed-items.ts';

const { values } = parseArgs({
  options: {
    items: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    keep: { type: 'boolean' },
    reuse: { type: 'string' },
  },
});
const ITEMS = Number(values.items ?? 1_000_000);
const SECONDS = Number(values.seconds ?? 10);
const WARMUP_SECONDS = Number(values.warmup ?? 3);
const CONNECTIONS = Number(values.connections ?? 50);
const BUSINESSES = 10;
const SOURCES_PER_BUSINESS = 3;

const LIST_PATH = '/v1/items?flagged=true&status=new';
const LIST_GOAL = 0.25; // × hello world's requests/s
const INBOX_P95_GOAL_MS = 100;

/** A person who works the inbox, signed in: the cookie their browser would send. */
async function signedInOwner(db: Db, accountId: string, config: ReturnType<typeof loadConfig>): Promise<string> {
  // Each run signs in a person of its own: a re-used database still has earlier runs' people.
  const email = `owner-${randomBytes(4).toString('hex')}@bench.example`;
  const password = randomBytes(16).toString('hex');
  await insertUser(db, { accountId, email, displayName: 'Bench Owner', passwordHash: await hashPassword(password), role: 'owner', businessIds: null });
  const outcome = await signIn(db, { email, password, address: '127.0.0.1', userAgent: 'earshot-bench' }, signInLimits(config));
  if (outcome.kind !== 'signed_in') throw new Error(`the bench owner could not sign in: ${outcome.kind}`);
  return `${SESSION_COOKIE}=${outcome.token}`;
}

/** The bench's own Redis keys (queue metadata, rate-limit counters), so a shared Redis keeps none. */
async function forgetRedisPrefix(queues: Queues): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await queues.connection.scan(cursor, 'MATCH', `${queues.prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await queues.connection.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** One request before the load: a route that fails would make its figures meaningless. */
async function answerOf(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, body: await response.body.text() };
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(6)} ms`;
}

/** A load's figures, with the CPU this process (both servers) spent per request served, warm-up included. */
interface Measured extends LoadFigures {
  cpuMsPerRequest: number;
}

function line(label: string, figures: Measured): void {
  const failed = figures.failed > 0 ? `  (${figures.failed} failed)` : '';
  console.log(
    `${label.padEnd(58)} ${Math.round(figures.requestsPerSecond).toLocaleString('en').padStart(7)} req/s  p50 ${ms(figures.p50)}  p95 ${ms(figures.p95)}  p99 ${ms(figures.p99)}  CPU ${figures.cpuMsPerRequest.toFixed(3)} ms/req${failed}`,
  );
}

function verdict(met: boolean): string {
  return met ? 'met' : 'missed';
}

async function main(): Promise<void> {
  const services = await openBenchServices({ redis: true, maxConnections: 10, database: { keep: values.keep, reuse: values.reuse } });
  try {
    const { db } = services;
    const seedStart = performance.now();
    const accountId = services.reused ? await seededAccount(db) : undefined;
    const items = accountId === undefined ? ITEMS : await itemCount(db, accountId);
    console.log(
      `Earshot web benchmark: ${items.toLocaleString('en')} items in one account (${BUSINESSES} businesses, ${BUSINESSES * SOURCES_PER_BUSINESS} sources), ` +
        `${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up, ${os.cpus().length} cores`,
    );
    const seeded = accountId === undefined ? await seedItems(db, { items: ITEMS, businesses: BUSINESSES, sourcesPerBusiness: SOURCES_PER_BUSINESS, flaggedShare: 0.1 }) : undefined;
    await measure(services, accountId ?? seeded!.accountId, seeded === undefined ? `re-used ${services.databaseName}` : `seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  } finally {
    await services.close();
    if (values.keep === true || services.reused) console.log(`kept the seeded database ${services.databaseName}: measure it again with --reuse ${services.databaseName}`);
  }
}

/** The account a previous run seeded in a re-used database: the only one with items. */
async function seededAccount(db: Db): Promise<string> {
  const row = await sql<{ account_id: string }>`SELECT account_id FROM businesses ORDER BY created_at LIMIT 1`.execute(db);
  if (row.rows[0] === undefined) throw new Error('the re-used database has no seeded account');
  return row.rows[0].account_id;
}

async function itemCount(db: Db, accountId: string): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM items WHERE account_id = ${accountId}`.execute(db);
  return result.rows[0]!.n;
}

async function measure(services: BenchServices, accountId: string, origin: string): Promise<void> {
  const { db } = services;
  const matching = await sql<{ n: number }>`SELECT count(*)::int AS n FROM items WHERE account_id = ${accountId} AND flagged AND status = 'new'`.execute(db);
  console.log(`${origin}: 10 % flagged, ${matching.rows[0]!.n.toLocaleString('en')} of them flagged and new, over two years`);

  // The limit stays on, set out of reach, so each request still counts itself in Redis as in production.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_MINUTE: '1000000' });
  const queues = createQueues(services.redisUrl!, `bench-web-${randomBytes(4).toString('hex')}`);
  const app = await buildApp({ db, queues, config, credentialsKey: deriveCredentialsKey(randomBytes(32).toString('hex')), logger: false });
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  let listAnswer = '';
  hello.get('/list-answer', async (_request, reply) => reply.type('application/json; charset=utf-8').send(listAnswer));
  try {
    const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });
    const { key } = await createApiKey(db, { accountId, role: 'owner', name: 'Bench owner' });
    const keyHeaders = { authorization: `Bearer ${key}` };
    const cookieHeaders = { cookie: await signedInOwner(db, accountId, config) };

    const list = await answerOf(`${appUrl}${LIST_PATH}`, keyHeaders);
    const listed = list.status === 200 ? (JSON.parse(list.body) as { items: unknown[] }).items.length : 0;
    if (list.status !== 200 || listed !== 50) throw new Error(`${LIST_PATH} answered ${list.status} with ${listed} items: ${list.body.slice(0, 300)}`);
    listAnswer = list.body;
    const inbox = await answerOf(`${appUrl}/`, cookieHeaders);

    // Requests/s move with whatever else the machine runs; the servers' own CPU per request moves much less.
    let served = 0;
    for (const server of [app.server, hello.server]) server.on('request', () => served++);
    const load = async (url: string, headers: Record<string, string> = {}): Promise<Measured> => {
      const [servedBefore, cpuBefore] = [served, process.cpuUsage()];
      const figures = await measureLoad({ url, headers, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
      const cpu = process.cpuUsage(cpuBefore);
      return { ...figures, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, served - servedBefore) };
    };
    const a = await load(helloUrl);
    line('(a) Fastify hello world, same process', a);
    const sameBytes = await load(`${helloUrl}/list-answer`);
    line(`(a') the same, answering (b)'s ${Math.round(Buffer.byteLength(listAnswer) / 1024)} KB as a fixed string`, sameBytes);
    const b = await load(`${appUrl}${LIST_PATH}`, keyHeaders);
    line(`(b) GET ${LIST_PATH}`, b);
    const c = inbox.status === 200 ? await load(`${appUrl}/`, cookieHeaders) : undefined;
    if (c) line('(c) GET / (inbox page, signed in)', c);
    else console.log(`(c) GET / (inbox page): not measured, it answered ${inbox.status} (no inbox page in this build)`);

    const listRatio = b.requestsPerSecond / a.requestsPerSecond;
    console.log(`(b)/(a) requests/s: ${listRatio.toFixed(3)} (goal ≥ ${LIST_GOAL}: ${verdict(listRatio >= LIST_GOAL)})`);
    console.log(`(b)/(a') requests/s: ${(b.requestsPerSecond / sameBytes.requestsPerSecond).toFixed(3)} (what the list costs beyond sending its bytes)`);
    if (c) {
      console.log(`(c)/(a) requests/s: ${(c.requestsPerSecond / a.requestsPerSecond).toFixed(3)}`);
      console.log(`inbox page p95: ${c.p95.toFixed(1)} ms (goal ≤ ${INBOX_P95_GOAL_MS} ms: ${verdict(c.p95 <= INBOX_P95_GOAL_MS)})`);
    }
    const failed = a.failed + sameBytes.failed + b.failed + (c?.failed ?? 0);
    if (failed > 0) throw new Error(`${failed} requests failed under load: the figures above are not comparable`);
  } finally {
    await hello.close();
    await app.close();
    await forgetRedisPrefix(queues);
    await queues.close();
  }
}

await main();
