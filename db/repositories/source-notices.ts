import { sql } from 'kysely';
import type { Db } from '../database.ts';

export interface SourceNoticeContext {
  sourceId: string;
  sourceType: string;
  businessName: string;
  status: string;
  lastError: { kind: string | null; message: string | null; at: Date | null };
  lastSuccessAt: Date | null;
  quietSince: Date | null;
}

export async function loadSourceNoticeContext(db: Db, sourceId: string): Promise<SourceNoticeContext | undefined> {
  const row = await db
    .selectFrom('sources as s')
    .innerJoin('businesses as b', 'b.id', 's.business_id')
    .select(['s.id', 's.type', 'b.name', 's.status', 's.last_error_kind', 's.last_error_message', 's.last_error_at', 's.last_success_at', 's.quiet_since'])
    .where('s.id', '=', sourceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sourceId: row.id,
    sourceType: row.type,
    businessName: row.name,
    status: row.status,
    lastError: { kind: row.last_error_kind, message: row.last_error_message, at: row.last_error_at },
    lastSuccessAt: row.last_success_at,
    quietSince: row.quiet_since,
  };
}

/**
 * Sources that poll fine but have heard nothing for far longer than usual: ten times
 * their median gap between the last 20 items' publication times, and at least a week.
 * Marks them quiet (since their last item) and returns the ones newly marked.
 */
export async function markQuietSources(db: Db): Promise<Array<{ id: string; quietSince: Date }>> {
  const result = await sql<{ id: string; quiet_since: Date }>`
    WITH recent AS (
      SELECT source_id, sort_at,
             sort_at - lag(sort_at) OVER (PARTITION BY source_id ORDER BY sort_at) AS gap,
             row_number() OVER (PARTITION BY source_id ORDER BY sort_at DESC) AS position
      FROM items
    ), cadence AS (
      SELECT source_id,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM gap)) AS median_gap_seconds,
             max(sort_at) AS last_item_at,
             count(*) AS items
      FROM recent
      WHERE position <= 20
      GROUP BY source_id
    )
    UPDATE sources s
    SET quiet_since = c.last_item_at, updated_at = now()
    FROM cadence c
    WHERE c.source_id = s.id
      AND c.items >= 5
      AND s.status IN ('ok', 'failing')
      AND s.last_success_at > c.last_item_at
      AND s.quiet_since IS DISTINCT FROM c.last_item_at
      AND now() - c.last_item_at > greatest(interval '7 days', make_interval(secs => 10 * coalesce(c.median_gap_seconds, 0)))
    RETURNING s.id, s.quiet_since`.execute(db);
  return result.rows.map((row) => ({ id: row.id, quietSince: row.quiet_since }));
}
