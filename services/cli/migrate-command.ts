import type { Config } from '../../config/config.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { withDatabase } from './with-database.ts';

export async function migrate(config: Config): Promise<number> {
  return withDatabase(
    config,
    async (db) => {
      const applied = await migrateToLatest(db);
      process.stdout.write(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Database is up to date.\n');
      return 0;
    },
    { migrate: false },
  );
}
