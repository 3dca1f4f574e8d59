import type { Config } from '../../config/config.ts';
import { createDb, type Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.ts';

/**
 * Runs a one-shot command against Earshot's database: `DATABASE_URL`, or the embedded
 * PostgreSQL under `DATA_DIR` (shared with a running Earshot when there is one). Every
 * command but `migrate` (which reports what it applies) finds the database migrated.
 */
export async function withDatabase<T>(config: Config, run: (db: Db) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    if (options.migrate !== false) await migrateToLatest(db);
    return await run(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
