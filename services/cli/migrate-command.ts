import type { Config } from '../../config/config.ts';
import { createDb } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.ts';

export async function migrate(config: Config): Promise<number> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    const applied = await migrateToLatest(db);
    process.stdout.write(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Database is up to date.\n');
    return 0;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
