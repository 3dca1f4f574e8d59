import type { Config } from '../../config/config.ts';
import { listAccountSummaries, type AccountSummary } from '../../db/repositories/accounts.ts';
import { withDatabase } from './with-database.ts';

const COLUMNS: Array<[heading: string, cell: (account: AccountSummary) => string]> = [
  ['ID', (account) => account.id],
  ['NAME', (account) => account.name],
  ['CREATED', (account) => account.createdAt.toISOString().slice(0, 16).replace('T', ' ')],
  ['BUSINESSES', (account) => String(account.businesses)],
  ['KEYS', (account) => String(account.keys)],
];

/** `earshot accounts list`: every account with its id, which `keys create --account ID` takes. */
export async function listAccounts(config: Config): Promise<number> {
  const accounts = await withDatabase(config, listAccountSummaries);
  if (accounts.length === 0) {
    process.stderr.write('No accounts yet: `earshot start` creates the first one with its owner key.\n');
    return 0;
  }
  const rows = [COLUMNS.map(([heading]) => heading), ...accounts.map((account) => COLUMNS.map(([, cell]) => cell(account)))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  process.stderr.write('KEYS counts keys not revoked. Add a key to an account: earshot keys create --role owner|staff|consultant --account ID\n');
  return 0;
}
