import type { Config } from '../../config/config.ts';
import { createDb, type Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.ts';

/**
 * Runs a one-shot command against Earshot's database, migrated: `DATABASE_URL`, or the
 * embedded PostgreSQL under `DATA_DIR` (shared with a running Earshot when there is one).
 */
export async function withDatabase<T>(config: Config, run: (db: Db) => Promise<T>): Promise<T> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    await migrateToLatest(db);
    return await run(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
