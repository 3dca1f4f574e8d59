import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * PostgreSQL advisory locks, named by an arbitrary number each caller owns. A session
 * lock lives as long as its connection (so pass the one connection that both takes and
 * releases it); a transaction lock ends with its transaction.
 */
export async function tryAdvisoryLock(conn: Kysely<Database>, lock: number): Promise<boolean> {
  const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${lock}) AS got`.execute(conn);
  return rows[0]?.got === true;
}

export async function releaseAdvisoryLock(conn: Kysely<Database>, lock: number): Promise<void> {
  await sql`SELECT pg_advisory_unlock(${lock})`.execute(conn);
}

/** Waits for the lock, held until the transaction ends. */
export async function lockForTransaction(tx: Kysely<Database>, lock: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${lock})`.execute(tx);
}
