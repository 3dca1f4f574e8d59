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
      try {
        return await pool.connect();
      } catch (error) {
        state.failed(error);
        throw error;
      }
    },
    end: () => pool.end(),
  };
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: watchedPool }),
    // Kysely reports every query's outcome here: a success is the proof that the database is back.
    log: (event: LogEvent) => (event.level === 'query' ? state.succeeded() : state.failed(event.error)),
  });
}

/**
 * A failure this soon after the database came back belongs to the same outage: a
 * connection opened while it was away can still fail once the first query has gone
 * through, and that is not a second outage worth a second pair of log lines.
 */
export const RELAPSE_GRACE_MS = 3000;

/** Turns many failures and successes into one call per change of state (`now` for tests). */
export function connectionState(watch: ConnectionWatch, now: () => number = Date.now): { failed(error: unknown): void; succeeded(): void } {
  let lost = false;
  let backAt = Number.NEGATIVE_INFINITY;
  return {
    failed(error) {
      if (lost || !isDatabaseUnreachable(error)) return;
      if (now() - backAt < RELAPSE_GRACE_MS) return;
      lost = true;
      watch.onLost?.(error as Error);
    },
    succeeded() {
      if (!lost) return;
      lost = false;
      backAt = now();
      watch.onBack?.();
    },
  };
}
