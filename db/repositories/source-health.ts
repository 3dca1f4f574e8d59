import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { SourceStatus } from '../schema.ts';
import { storableText, storableTextUpTo } from '../storable-text.ts';

/** After three failed polls in a row a source shows as failing. */
const FAILING_AFTER = 3;
const MAX_MESSAGE = 2000;

export async function recordPollSuccess(db: Db, sourceId: string): Promise<void> {
  await db
    .updateTable('sources')
    .set({ status: 'ok', last_success_at: sql<Date>`now()`, consecutive_failures: 0, updated_at: sql<Date>`now()` })
    .where('id', '=', sourceId)
    .where('status', 'in', ['ok', 'failing'])
    .execute();
}

export interface PollFailure {
  kind: string;
  message: string;
  /** needs_attention: a person must fix the config; polling stops until they do. */
  needsAttention: boolean;
}

/**
 * Counts a failed poll. What went wrong is the platform's text, which may hold anything
 * (a NUL in an error body): it is made storable here, so recording a failure can never
 * fail on its content and leave the source looking healthy.
 */
export async function recordPollFailure(db: Db, sourceId: string, failure: PollFailure): Promise<void> {
  const status: SourceStatus | undefined = failure.needsAttention ? 'needs_attention' : undefined;
  await db
    .updateTable('sources')
    .set((eb) => ({
      last_error_kind: failure.kind,
      last_error_message: storableTextUpTo(failure.message, MAX_MESSAGE),
      last_error_at: sql<Date>`now()`,
      consecutive_failures: eb('consecutive_failures', '+', 1),
      status: status ?? sql<SourceStatus>`CASE WHEN status = 'ok' AND consecutive_failures + 1 >= ${FAILING_AFTER} THEN 'failing' ELSE status END`,
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', sourceId)
    .execute();
}

/**
 * A platform's rate limit is not a failure of the source: its status and failure count
 * stay as they are; the limit shows as the last error, and the next poll waits for
 * the platform's reset time.
 */
export async function recordRateLimited(db: Db, sourceId: string, message: string, retryAt: Date): Promise<void> {
  await db
    .updateTable('sources')
    .set({
      last_error_kind: 'rate_limited',
      last_error_message: storableTextUpTo(message, MAX_MESSAGE),
      last_error_at: sql<Date>`now()`,
      next_poll_at: retryAt,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', sourceId)
    .execute();
}

/** Keeps a page the connector could not read, for someone to inspect (already scrubbed of credentials by the caller). */
export async function keepBadPage(db: Db, source: { id: string; account_id: string }, message: string, payload: string): Promise<void> {
  await db
    .insertInto('source_bad_pages')
    .values({ source_id: source.id, account_id: source.account_id, message: storableTextUpTo(message, MAX_MESSAGE), payload: storableText(payload) })
    .execute();
}
