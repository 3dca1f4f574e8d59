/**
 * `npm run bench`: pushes synthetic reviews through the real ingest + analyze path
 * (PostgreSQL transactions per page, BullMQ analyze jobs, real workers) and prints the
 * rate beside this machine's raw batched-upsert rate into the same PostgreSQL,
 * measured in the same run. The ratio is the figure that travels between machines.
 *
 *   npm run bench                 # 100,000 items
 *   BENCH_ITEMS=20000 npm run bench
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../config/config.ts';
import type { NormalizedItem } from '../connectors/contract.ts';
import type { Db } from '../db/database.ts';
import { ingestPage } from '../services/ingest/ingest-page.ts';
import { createMailTransport } from '../services/alerts/mail-transport.ts';
import { createQueues, jobIds } from '../services/jobs/queues.ts';
import { deriveCredentialsKey } from '../services/sources/credentials.ts';
import { startWorkers } from '../services/runtime/workers.ts';
import { openBenchServices } from './bench-database.ts';

const { values } = parseArgs({ options: { items: { type: 'string' }, page: { type: 'string' }, streams: { type: 'string' } } });
const TOTAL = Number(values.items ?? 100_000);
const PAGE = Number(values.page ?? 500);
const STREAMS = Number(values.streams ?? 2);

const PHRASES = [
  'The pasta was cold and the waiter ignored us for twenty minutes.',
  'Lovely staff, great coffee, will be back soon!',
  'Booked a table for eight and they had no record of it.',
  'Fine food, nothing special, prices a bit high.',
  'Absolutely wonderful evening, the dessert was perfect.',
  'Waited forty minutes on hold and nobody answered.',
];

function syntheticItems(prefix: string, start: number, count: number): NormalizedItem[] {
  return Array.from({ length: count }, (_, k) => {
    const n = start + k;
    return {
      externalId: `${prefix}-${n}`,
      kind: 'review' as const,
      url: `https://reviews.example/${prefix}/${n}`,
      author: `Customer ${n}`,
      rating: (n % 5) + 1,
      title: null,
      body: `${PHRASES[n % PHRASES.length]} Visit ${n}.`,
      language: 'en',
      publishedAt: new Date(Date.now() - n * 1000),
      updatedAt: null,
      ownerReply: null,
      raw: { n },
    };
  });
}

async function main(): Promise<void> {
  const services = await openBenchServices({ redis: true, maxConnections: 12 });
  try {
    const { db, databaseUrl } = services;
    const { sources } = await setUp(db, STREAMS + 1);
    const [rawSource, ...pipelineSources] = sources as [Source, ...Source[]];

    console.log(`Earshot ingest benchmark: ${TOTAL.toLocaleString('en')} items, pages of ${PAGE}, ${STREAMS} parallel streams, ${os.cpus().length} cores`);
    const rawRate = await rawUpsertRate(databaseUrl, rawSource, TOTAL);
    console.log(`raw batched upsert (same table, same batches, plain SQL):  ${Math.round(rawRate).toLocaleString('en')} items/s`);

    const pipelineRate = await pipelineRateFor(db, services.redisUrl as string, pipelineSources, TOTAL);
    console.log(`Earshot ingest + analyze (transactions, queue, workers):   ${Math.round(pipelineRate).toLocaleString('en')} items/s`);
    console.log(`ratio: ${(pipelineRate / rawRate).toFixed(2)} (goal ≥ 0.50)`);
  } finally {
    await services.close();
  }
}

type Source = { id: string; account_id: string; business_id: string };

async function setUp(db: Db, count: number): Promise<{ sources: Source[] }> {
  const account = await db.insertInto('accounts').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
  // No alert addresses: this measures ingest and analysis, not SMTP.
  const business = await db.insertInto('businesses').values({ account_id: account.id, name: 'Bench Bistro', alert_emails: [] }).returning('id').executeTakeFirstOrThrow();
  const sources: Source[] = [];
  for (let i = 0; i < count; i++) {
    sources.push(
      await db
        .insertInto('sources')
        .values({ id: crypto.randomUUID(), account_id: account.id, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
        .returning(['id', 'account_id', 'business_id'])
        .executeTakeFirstOrThrow(),
    );
  }
  return { sources };
}

/** The machine's limit: multi-row INSERT … ON CONFLICT DO UPDATE into items, nothing else. */
async function rawUpsertRate(databaseUrl: string, source: Source, total: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: STREAMS });
  const pages = Math.ceil(total / PAGE);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      for (let page = next++; page < pages; page = next++) {
        const items = syntheticItems('raw', page * PAGE, Math.min(PAGE, total - page * PAGE));
        const params: unknown[] = [];
        const rows = items.map((item) => {
          const base = params.length;
          params.push(source.account_id, source.business_id, source.id, item.externalId, item.url, item.author, item.rating, item.body, item.language, item.publishedAt, item.publishedAt, JSON.stringify(item.raw));
          return `($${base + 1}, $${base + 2}, $${base + 3}, 'review', $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}, $${base + 9}, $${base + 10}, $${base + 11}, 'h', $${base + 12})`;
        });
        await pool.query(
          `INSERT INTO items (account_id, business_id, source_id, kind, external_id, url, author, rating, body, language, published_at, sort_at, content_hash, raw)
           VALUES ${rows.join(',')}
           ON CONFLICT (source_id, external_id) DO UPDATE SET body = EXCLUDED.body, rating = EXCLUDED.rating, last_seen_at = now()`,
          params,
        );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return total / seconds;
}

/** What a poll does per page (ingest transaction, analyze job), with real workers analysing. */
async function pipelineRateFor(db: Db, redisUrl: string, sources: Source[], total: number): Promise<number> {
  const config = loadConfig({ LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '4', EARSHOT_SECRET: 'bench-secret-0123456789abcdef0123456789' });
  const queues = createQueues(redisUrl, `bench${Date.now()}`);
  const mail = createMailTransport({ smtpUrl: undefined, outboxDir: path.join(os.tmpdir(), 'earshot-bench-outbox') });
  const workers = startWorkers({ db, queues, config, credentialsKey: deriveCredentialsKey(config.secret as string), mail, log: pino({ level: 'silent' }) });
  const pages = Math.ceil(total / PAGE);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    sources.map(async (source) => {
      for (let page = next++; page < pages; page = next++) {
        const items = syntheticItems('pipe', page * PAGE, Math.min(PAGE, total - page * PAGE));
        const result = await ingestPage(db, source, { items, cursor: { page } });
        await queues.analyze.add('analyze', { itemIds: result.toAnalyze }, { jobId: jobIds.analyze(`bench-${source.id}`, page) });
      }
    }),
  );
  const ingested = performance.now();
  // Watch the queue, not the table: polling Postgres would add load to what is measured.
  for (;;) {
    const counts = await queues.analyze.getJobCounts('completed', 'failed');
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= pages) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  console.log(`  (ingest done after ${((ingested - started) / 1000).toFixed(2)} s, analysis after ${((performance.now() - started) / 1000).toFixed(2)} s)`);
  const seconds = (performance.now() - started) / 1000;
  const analyzed = await sql<{ n: string }>`SELECT count(*) AS n FROM items WHERE analyzed_at IS NOT NULL AND source_id = ANY(${sources.map((s) => s.id)}::uuid[])`.execute(db);
  if (Number(analyzed.rows[0]?.n) !== total) throw new Error(`expected ${total} analysed items, found ${analyzed.rows[0]?.n}`);
  await workers.close();
  mail.close();
  await queues.close();
  return total / seconds;
}

await main();
