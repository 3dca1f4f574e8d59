import { sql, type Kysely } from 'kysely';
import type { Database, ItemKind, SentimentLabel } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** What response-time figures need to know of one business. */
export interface BusinessClockRow {
  id: string;
  /** Shown beside the figures, so a report reads without a second call. */
  name: string;
  timezone: string;
  opening_hours: unknown;
  sla_hours: number;
}

/** What response-time figures need to know of one item; instants in ms since the epoch. */
export interface ResponseFactRow {
  business_id: string;
  /** First day (UTC) of the month the item's clock starts in. */
  cohort_month: string;
  cohort_ms: number;
  first_response_ms: number | null;
  resolved_ms: number | null;
  source_type: string;
  kind: ItemKind;
  sentiment_label: SentimentLabel | null;
  flagged: boolean;
  rating: number | null;
  /** 'platform', the actor that first marked it responded in Earshot, or null while unanswered. */
  responder: string | null;
}

export interface FactChunkKey {
  businessId: string;
  month: string;
}

/** The businesses in scope (all of them when `businessIds` is empty), with their clocks. */
export async function businessClocks(db: Kysely<Database>, scope: TenantScope, businessIds: readonly string[]): Promise<BusinessClockRow[]> {
  const rows = await sql<BusinessClockRow>`
    SELECT id, name, timezone, opening_hours, sla_hours FROM businesses b
    WHERE account_id = ${scope.accountId} AND ${inBusinessScope('b.id', scope)}
      ${businessIds.length > 0 ? sql`AND id = any(${[...businessIds]}::uuid[])` : sql``}
    ORDER BY id
  `.execute(db);
  return rows.rows;
}

/** The snapshot the current transaction reads under, as text (`xmin:xmax:xip,…`). */
export async function currentSnapshot(trx: Kysely<Database>): Promise<string> {
  const row = await sql<{ snapshot: string }>`SELECT pg_current_snapshot()::text AS snapshot`.execute(trx);
  return row.rows[0]!.snapshot;
}

/** Chunks of these businesses changed by transactions that `since` could not see (and the current one can). */
export async function changedFactChunks(trx: Kysely<Database>, businessIds: readonly string[], since: string): Promise<FactChunkKey[]> {
  const rows = await sql<{ business_id: string; cohort_month: string }>`
    SELECT DISTINCT business_id, cohort_month::text AS cohort_month FROM response_fact_changes
    WHERE xid >= pg_snapshot_xmin(${since}::pg_snapshot)
      AND NOT pg_visible_in_snapshot(xid, ${since}::pg_snapshot)
      AND business_id = any(${[...businessIds]}::uuid[])
  `.execute(trx);
  return rows.rows.map((row) => ({ businessId: row.business_id, month: row.cohort_month }));
}

const FACT_COLUMNS = sql`
  i.business_id,
  earshot_cohort_month(i.published_at, i.first_seen_at)::text AS cohort_month,
  extract(epoch FROM coalesce(i.published_at, i.first_seen_at))::float8 * 1000 AS cohort_ms,
  extract(epoch FROM i.first_response_at)::float8 * 1000 AS first_response_ms,
  extract(epoch FROM i.resolved_at)::float8 * 1000 AS resolved_ms,
  s.type AS source_type, i.kind, i.sentiment_label, i.flagged, i.rating,
  CASE i.first_response_source
    WHEN 'platform' THEN 'platform'
    WHEN 'earshot' THEN coalesce((
      SELECT e.actor FROM item_events e WHERE e.item_id = i.id AND e.type = 'responded' ORDER BY e.at, e.id LIMIT 1
    ), 'earshot')
    WHEN 'reply' THEN coalesce((
      SELECT e.actor FROM item_events e WHERE e.item_id = i.id AND e.type = 'replied' ORDER BY e.at, e.id LIMIT 1
    ), 'earshot')
  END AS responder
`;

/** Every item of these businesses. */
export async function factsOfBusinesses(trx: Kysely<Database>, businessIds: readonly string[]): Promise<ResponseFactRow[]> {
  if (businessIds.length === 0) return [];
  const rows = await sql<ResponseFactRow>`
    SELECT ${FACT_COLUMNS} FROM items i JOIN sources s ON s.id = i.source_id
    WHERE i.business_id = any(${[...businessIds]}::uuid[])
  `.execute(trx);
  return rows.rows;
}

/** Every item of these (business, cohort month) chunks. */
export async function factsOfChunks(trx: Kysely<Database>, chunks: readonly FactChunkKey[]): Promise<ResponseFactRow[]> {
  if (chunks.length === 0) return [];
  const businessIds = [...new Set(chunks.map((chunk) => chunk.businessId))];
  const rows = await sql<ResponseFactRow>`
    SELECT ${FACT_COLUMNS} FROM items i JOIN sources s ON s.id = i.source_id
    WHERE i.business_id = any(${businessIds}::uuid[])
      AND (i.business_id, earshot_cohort_month(i.published_at, i.first_seen_at)) IN (
        SELECT * FROM unnest(${chunks.map((c) => c.businessId)}::uuid[], ${chunks.map((c) => c.month)}::date[])
      )
  `.execute(trx);
  return rows.rows;
}

/** Drops change-log rows older than `before`; readers whose snapshot is that old re-read everything. */
export async function pruneFactChanges(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await sql`DELETE FROM response_fact_changes WHERE logged_at < ${before}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
