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
  /** The fresh, migrated database's URL. */
  databaseUrl: string;
  redisUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one benchmark run (and Redis when asked for):
 * DATABASE_URL / REDIS_URL measure existing servers; unset, embedded ones are
 * started in a temporary directory that is removed afterwards. The database is
 * dropped on close.
 */
export async function openBenchServices(options: { redis: boolean; maxConnections: number }): Promise<BenchServices> {
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
    const postgres = configured.databaseUrl ? { url: configured.databaseUrl } : await startEmbeddedPostgres(path.join(dir, 'pg'));
    if ('stop' in postgres) stops.push(() => postgres.stop());
    let redisUrl: string | undefined;
    if (options.redis) {
      const redis = configured.redisUrl ? { url: configured.redisUrl } : await startRedisServer(path.join(dir, 'redis'), { persistent: false });
      if ('stop' in redis) stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    const dbName = `earshot_bench_${randomBytes(6).toString('hex')}`;
    await asAdmin(postgres.url, `CREATE DATABASE ${dbName}`);
    // A shared server keeps no bench's million rows once it is done.
    stops.push(() => asAdmin(postgres.url, `DROP DATABASE IF EXISTS ${dbName}`));
    const url = new URL(postgres.url);
    url.pathname = `/${dbName}`;
    const db = createDb(url.toString(), { maxConnections: options.maxConnections });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    return { db, databaseUrl: url.toString(), redisUrl, close };
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
