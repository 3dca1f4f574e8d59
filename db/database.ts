import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export function createDb(
  databaseUrl: string,
  options: { maxConnections?: number; onIdleError?: (error: Error) => void } = {},
): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    // A dead database must surface as an error, not a hang.
    connectionTimeoutMillis: 10_000,
  });
  // A server restart kills idle connections; the pool drops them and the next query
  // reconnects. Unhandled, that 'error' event would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
