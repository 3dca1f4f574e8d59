import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { isDatabaseUnreachable } from './connection-errors.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface ConnectionWatch {
  /** Called once when PostgreSQL stops answering (not once per failed query). */
  onLost?: (error: Error) => void;
  /** Called once when a query succeeds again after `onLost`. */
  onBack?: () => void;
}

export function createDb(databaseUrl: string, options: { maxConnections?: number; watch?: ConnectionWatch } = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    // A dead database must surface as an error, not a hang.
    connectionTimeoutMillis: 10_000,
  });
  const state = connectionState(options.watch ?? {});
  // A connection that dies emits 'error' on its client. pg-pool listens only while the
  // client is idle; a client in use (a query or transaction running) would crash the
  // process with an unhandled 'error' event. Its query is rejected all the same, so the
  // work in hand fails and is retried; the pool discards the broken client.
  pool.on('connect', (client) => client.on('error', (error) => state.failed(error)));
  pool.on('error', (error) => state.failed(error));
  const watchedPool = {
    options: pool.options,
    Client: pg.Client,
    async connect() {
      const startedAt = Date.now();
      try {
        return await pool.connect();
      } catch (error) {
        state.failed(error, startedAt);
        throw error;
      }
    },
    end: () => pool.end(),
  };
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: watchedPool }),
    // Kysely reports every query's outcome here, with how long it ran: a success is the proof that
    // the database is back, if the query started after it was found gone.
    log: (event: LogEvent) => {
      const startedAt = Date.now() - event.queryDurationMillis;
      if (event.level === 'query') state.succeeded(startedAt);
      else state.failed(event.error, startedAt);
    },
  });
}

/**
 * Turns many failures and successes into one call per change of state. What a query says
 * counts only for the state it started in: a query sent before the database went away that
 * answers after it was found gone is no proof it is back, and one sent while it was away
 * that fails after it came back is no new outage. `startedAt` defaults to now (a pool's
 * connection error has no query); `now` is for tests.
 */
export function connectionState(
  watch: ConnectionWatch,
  now: () => number = Date.now,
): { failed(error: unknown, startedAt?: number): void; succeeded(startedAt?: number): void } {
  let lost = false;
  let changedAt = Number.NEGATIVE_INFINITY;
  return {
    failed(error, startedAt = now()) {
      if (lost || !isDatabaseUnreachable(error) || startedAt < changedAt) return;
      lost = true;
      changedAt = now();
      watch.onLost?.(error as Error);
    },
    succeeded(startedAt = now()) {
      if (!lost || startedAt < changedAt) return;
      lost = false;
      changedAt = now();
      watch.onBack?.();
    },
  };
}
