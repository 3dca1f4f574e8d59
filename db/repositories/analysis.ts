import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SentimentLabel } from '../schema.ts';

type Tx = Transaction<Database>;

export interface ItemToAnalyze {
  id: string;
  account_id: string;
  business_id: string;
  rating: number | null;
  title: string | null;
  body: string;
  language: string | null;
  flagged: boolean;
  published_at: Date | null;
  first_seen_at: Date;
  content_hash: string;
}

const TO_ANALYZE = ['id', 'account_id', 'business_id', 'rating', 'title', 'body', 'language', 'flagged', 'published_at', 'first_seen_at', 'content_hash'] as const;

/** The items of a batch that still wait for analysis; ones already judged are skipped. */
export async function listUnanalyzed(tx: Tx, itemIds: string[]): Promise<ItemToAnalyze[]> {
  if (itemIds.length === 0) return [];
  return tx
    .selectFrom('items')
    .select(TO_ANALYZE)
    // One array parameter, not one per id: a page is hundreds of ids.
    .where('id', '=', sql<string>`ANY(${itemIds}::uuid[])`)
    .where('analyzed_at', 'is', null)
    .execute();
}

export interface RescoreScope {
  /** Items judged by any other analyzer version are re-scored. */
  analyzerVersion: string;
  /** Only items first seen at or after this instant. */
  since?: Date;
}

function rescoreQuery(db: Kysely<Database>, scope: RescoreScope) {
  let query = db
    .selectFrom('items')
    .where('analyzed_at', 'is not', null)
    .where(sql<boolean>`analyzer_version IS DISTINCT FROM ${scope.analyzerVersion}`);
  if (scope.since !== undefined) query = query.where('first_seen_at', '>=', scope.since);
  return query;
}

export async function countToRescore(db: Kysely<Database>, scope: RescoreScope): Promise<number> {
  const row = await rescoreQuery(db, scope).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next batch of analysed items an older analyzer judged, in id order after `afterId`. */
export async function listToRescore(db: Kysely<Database>, scope: RescoreScope, afterId: string | null, limit: number): Promise<ItemToAnalyze[]> {
  let query = rescoreQuery(db, scope).select(TO_ANALYZE);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}

export interface AnalysisResult {
  id: string;
  /** The content that was judged: an edit that lands meanwhile must be judged again. */
  contentHash: string;
  score: number;
  label: SentimentLabel;
  flagged: boolean;
  topics: string[];
}

/**
 * Stores a batch's verdicts in one statement and returns the ids it stored. Rows are
 * not locked beforehand (a lock is a write per row): the update itself only takes
 * items still unanalysed and unchanged, so a concurrent analysis or edit wins cleanly.
 * With `rescore`, it takes instead items judged by another analyzer version and
 * unchanged since (an edit meanwhile is left to the normal analysis).
 */
export async function storeAnalysis(tx: Tx, results: AnalysisResult[], analyzerVersion: string, options: { rescore?: boolean } = {}): Promise<Set<string>> {
  if (results.length === 0) return new Set();
  const stored = await sql<{ id: string }>`
    UPDATE items AS i
    SET sentiment_score = v.score,
        sentiment_label = v.label,
        flagged = v.flagged,
        topics = string_to_array(v.topics, ','),
        analyzed_at = now(),
        analyzer_version = ${analyzerVersion},
        updated_at = now()
    FROM unnest(
      ${results.map((r) => r.id)}::uuid[],
      ${results.map((r) => r.contentHash)}::text[],
      ${results.map((r) => r.score)}::real[],
      ${results.map((r) => r.label)}::text[],
      ${results.map((r) => r.flagged)}::boolean[],
      ${results.map((r) => r.topics.join(','))}::text[]
    ) AS v(id, content_hash, score, label, flagged, topics)
    WHERE i.id = v.id AND i.content_hash = v.content_hash
      AND ${options.rescore ? sql`i.analyzed_at IS NOT NULL AND i.analyzer_version IS DISTINCT FROM ${analyzerVersion}` : sql`i.analyzed_at IS NULL`}
    RETURNING i.id`.execute(tx);
  return new Set(stored.rows.map((r) => r.id));
}

/**
 * Items still unanalysed although first seen longer than `graceSeconds` ago: their job
 * was lost. Only the last `lookbackDays` are searched (a BRIN range scan, not the whole
 * table), oldest first.
 */
export async function listStrandedUnanalyzed(db: Kysely<Database>, window: { graceSeconds: number; lookbackDays: number }, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('analyzed_at', 'is', null)
    .where('first_seen_at', '<', sql<Date>`now() - make_interval(secs => ${window.graceSeconds})`)
    .where('first_seen_at', '>', sql<Date>`now() - make_interval(days => ${window.lookbackDays})`)
    .orderBy('first_seen_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
