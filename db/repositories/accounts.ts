import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export async function createAccount(db: Kysely<Database>, name: string): Promise<AccountRecord> {
  const row = await db.insertInto('accounts').values({ name }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

/** An account with how much it holds: businesses and sources (as far as the scope sees), and live keys. */
export interface AccountSummary extends AccountRecord {
  businesses: number;
  sources: number;
  keys: number;
}

type SummaryRow = { id: string; name: string; created_at: Date; businesses: string; sources: string; keys: string };

function toSummary(row: SummaryRow): AccountSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    businesses: Number(row.businesses),
    sources: Number(row.sources),
    keys: Number(row.keys),
  };
}

function summaries(db: Kysely<Database>, scope: TenantScope | null) {
  const businessesSeen = scope === null ? sql<boolean>`true` : inBusinessScope('b.id', scope);
  const sourcesSeen = scope === null ? sql<boolean>`true` : inBusinessScope('s.business_id', scope);
  return sql<SummaryRow>`
    SELECT a.id, a.name, a.created_at,
      (SELECT count(*) FROM businesses b WHERE b.account_id = a.id AND ${businessesSeen}) AS businesses,
      (SELECT count(*) FROM sources s WHERE s.account_id = a.id AND ${sourcesSeen}) AS sources,
      (SELECT count(*) FROM api_keys k WHERE k.account_id = a.id AND k.revoked_at IS NULL) AS keys
    FROM accounts a
    ${scope === null ? sql`` : sql`WHERE a.id = ${scope.accountId}`}
    ORDER BY a.created_at, a.id
  `.execute(db);
}

/** The caller's account, counting only the businesses and sources its scope sees. */
export async function findAccountSummary(db: Kysely<Database>, scope: TenantScope): Promise<AccountSummary | undefined> {
  const row = (await summaries(db, scope)).rows[0];
  return row && toSummary(row);
}

/** Every account on this installation, oldest first: for the operator's command line, never for the API. */
export async function listAccountSummaries(db: Kysely<Database>): Promise<AccountSummary[]> {
  return (await summaries(db, null)).rows.map(toSummary);
}

export async function accountExists(db: Kysely<Database>, accountId: string): Promise<boolean> {
  return (await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst()) !== undefined;
}

/** Ids of every account with exactly this name, oldest first. */
export async function listAccountIdsNamed(db: Kysely<Database>, name: string): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('id').where('name', '=', name).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Deletes the account row; what still hangs off it (its keys) goes by ON DELETE CASCADE. */
export async function deleteAccount(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', accountId).execute();
}
