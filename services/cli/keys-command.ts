import type { Config } from '../../config/config.ts';
import { createDb } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { createApiKey } from '../../db/repositories/api-keys.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import type { Role } from '../../db/schema.ts';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.ts';

/** Prints only the new key on stdout, so a script can capture it; everything else goes to stderr. */
export async function createKey(
  config: Config,
  options: { role: Role; accountId: string | undefined; name: string | undefined; businessIds?: readonly string[] },
): Promise<number> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    await migrateToLatest(db);
    let accountId = options.accountId;
    if (accountId === undefined) {
      accountId = (await createAccount(db, options.name ?? 'New account')).id;
      process.stderr.write(`Created account ${accountId}\n`);
    } else {
      const exists = /^[0-9a-f-]{36}$/i.test(accountId) && (await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst());
      if (!exists) {
        process.stderr.write(`earshot: no account ${accountId}\n`);
        return 1;
      }
    }
    const businessIds = options.businessIds && options.businessIds.length > 0 ? [...new Set(options.businessIds.map((id) => id.toLowerCase()))] : null;
    if (businessIds !== null) {
      const uuids = businessIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
      const found = new Set(uuids.length === 0 ? [] : (await listBusinesses(db, { accountId, businessIds: uuids })).map((b) => b.id));
      const unknown = businessIds.find((id) => !found.has(id));
      if (unknown !== undefined) {
        process.stderr.write(`earshot: ${unknown} is not a business of account ${accountId}\n`);
        return 1;
      }
    }
    const { key } = await createApiKey(db, { accountId, role: options.role, name: options.name ?? `${options.role} key`, businessIds });
    process.stdout.write(`${key}\n`);
    return 0;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
