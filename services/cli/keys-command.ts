import type { Config } from '../../config/config.ts';
import { accountExists, createAccount } from '../../db/repositories/accounts.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import type { Role } from '../../db/schema.ts';
import { DEMO_ACCOUNT } from '../demo/demo-account.ts';
import { createApiKey } from '../keys/create-api-key.ts';
import { withDatabase } from './with-database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Prints only the new key on stdout, so a script can capture it; everything else goes to stderr. */
export async function createKey(
  config: Config,
  options: { role: Role; accountId: string | undefined; name: string | undefined; businessIds?: readonly string[] },
): Promise<number> {
  return withDatabase(config, async (db) => {
    let accountId = options.accountId;
    if (accountId === undefined) {
      // The demo's account name is reserved: every start deletes accounts of that name.
      const accountName = options.name === undefined || options.name === DEMO_ACCOUNT ? 'New account' : options.name;
      accountId = (await createAccount(db, accountName)).id;
      // Said every time: a key meant for an existing account would otherwise open an empty one unnoticed.
      process.stderr.write(
        `Created a new, empty account ${accountId} for this key; to add a key to an existing account, pass --account ID (see earshot accounts list)\n`,
      );
    } else if (!UUID.test(accountId) || !(await accountExists(db, accountId))) {
      process.stderr.write(`earshot: no account ${accountId} (earshot accounts list shows them)\n`);
      return 1;
    }
    const businessIds = options.businessIds && options.businessIds.length > 0 ? [...new Set(options.businessIds.map((id) => id.toLowerCase()))] : null;
    if (businessIds !== null) {
      const uuids = businessIds.filter((id) => UUID.test(id));
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
  });
}
