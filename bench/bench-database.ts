import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config/config.ts';
import { createDb, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startEmbeddedPostgres } from '../services/runtime/embedded-postgres.ts';
import { startRedisServer } from '../services/runtime/redis-server.ts';

export interface BenchServices {
  db: Db;
  /** The fresh (or re-used), migrated database's URL. */
  databaseUrl: string;
  /** Its name, for `reuse` in a later run. */
  databaseName: string;
  /** True when the database is one a previous run left seeded (`reuse`). */
  reused: boolean;
  redisUrl: string | undefined;
  close(): Promise<void>;
}

export interface BenchDatabaseChoice {
  /** Leave the database in place after the run, to measure again without seeding. */
  keep?: boolean | undefined;
  /** The name of a database a previous run kept; it is used as it is (and kept again unless dropped by hand). */
  reuse?: string | undefined;
}

const BENCH_DATABASE_NAME = /^earshot_bench_[0-9a-f]{12}$/;

/**
 * A fresh, migrated database for one benchmark run (and Redis when asked for):
 * DATABASE_URL / REDIS_URL measure existing servers; unset, embedded ones are
 * started in a temporary directory that is removed afterwards. The database is
 * dropped on close, unless `keep` or `reuse` is given: both need DATABASE_URL, since an
 * embedded server ends with the run.
 */
export async function openBenchServices(options: { redis: boolean; maxConnections: number; database?: BenchDatabaseChoice }): Promise<BenchServices> {
  const choice = options.database ?? {};
  if (choice.reuse !== undefined && !BENCH_DATABASE_NAME.test(choice.reuse)) {
    throw new Error(`--reuse takes the name of a kept bench database (earshot_bench_ and 12 hex digits), not "${choice.reuse}"`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-'));
  // As root, the embedded PostgreSQL runs as another OS user that must enter this directory.
  await chmod(dir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const configured = loadConfig(process.env);
    if ((choice.keep === true || choice.reuse !== undefined) && configured.databaseUrl === undefined) {
      throw new Error('keeping or re-using a bench database needs DATABASE_URL: an embedded server is removed when the run ends');
    }
    const postgres = configured.databaseUrl ? { url: configured.databaseUrl } : await startEmbeddedPostgres(path.join(dir, 'pg'));
    if ('stop' in postgres) stops.push(() => postgres.stop());
    let redisUrl: string | undefined;
    if (options.redis) {
      const redis = configured.redisUrl ? { url: configured.redisUrl } : await startRedisServer(path.join(dir, 'redis'), { persistent: false });
      if ('stop' in redis) stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    const dbName = choice.reuse ?? `earshot_bench_${randomBytes(6).toString('hex')}`;
    if (choice.reuse === undefined) await asAdmin(postgres.url, `CREATE DATABASE ${dbName}`);
    // A shared server keeps no bench's million rows once it is done, unless asked to.
    if (choice.keep !== true && choice.reuse === undefined) stops.push(() => asAdmin(postgres.url, `DROP DATABASE IF EXISTS ${dbName}`));
    const url = new URL(postgres.url);
    url.pathname = `/${dbName}`;
    const db = createDb(url.toString(), { maxConnections: options.maxConnections });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    return { db, databaseUrl: url.toString(), databaseName: dbName, reused: choice.reuse !== undefined, redisUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function asAdmin(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
