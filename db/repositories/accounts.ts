import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export async function createAccount(db: Kysely<Database>, name: string): Promise<AccountRecord> {
  const row = await db.insertInto('accounts').values({ name }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
