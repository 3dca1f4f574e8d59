import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface LatencyQuery {
  businessId?: string;
  /** Items first seen at or after this time. */
  from: Date;
  /** Items first seen before this time. */
  to: Date;
}

/** Milliseconds, each rounded to the nearest whole; null when nothing was measured. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SourceTypeLatency {
  sourceType: string;
  /** Items first seen in the range. */
  count: number;
  /** Of those, the ones with an accepted alert. */
  alerted: number;
  /** From when the platform announced the item (a polled item: when it was published) to when Earshot first saw it. */
  announcedToFirstSeen: LatencyPercentiles;
  /** From first seen to the earliest alert a channel accepted for it. */
  firstSeenToAlert: LatencyPercentiles;
}

interface LatencyRow {
  sourceType: string;
  count: number;
  alerted: number;
  announcedP50: number | null;
  announcedP95: number | null;
  announcedP99: number | null;
  alertP50: number | null;
  alertP95: number | null;
  alertP99: number | null;
}

/** An interval in milliseconds, at least 0; null stays null (greatest() would make it 0). */
function nonNegativeMs(interval: RawBuilder<unknown>): RawBuilder<number | null> {
  return sql<number | null>`CASE WHEN ${interval} IS NOT NULL THEN greatest(0, extract(epoch FROM ${interval}) * 1000) END`;
}

/**
 * Review-to-alert latency per source type over the items first seen in the range,
 * with percentile_cont (linear interpolation). A platform clock ahead of ours counts
 * as no delay rather than a negative one.
 */
export async function latencyBySourceType(db: Kysely<Database>, scope: TenantScope, query: LatencyQuery): Promise<SourceTypeLatency[]> {
  const businessId = query.businessId ?? null;
  const result = await sql<LatencyRow>`
    WITH measured AS (
      SELECT s.type AS source_type,
        ${nonNegativeMs(sql`i.first_seen_at - coalesce(i.announced_at, i.published_at)`)} AS to_first_seen,
        ${nonNegativeMs(sql`alerted.sent_at - i.first_seen_at`)} AS to_alert
      FROM items i
      JOIN sources s ON s.id = i.source_id
      LEFT JOIN LATERAL (
        SELECT min(d.sent_at) AS sent_at
        FROM alert_deliveries d
        WHERE d.item_id = i.id AND d.kind = 'negative_item' AND d.sent_at IS NOT NULL
      ) alerted ON true
      WHERE i.account_id = ${scope.accountId}::uuid
        AND ${inBusinessScope('i.business_id', scope)}
        AND (${businessId}::uuid IS NULL OR i.business_id = ${businessId}::uuid)
        AND i.first_seen_at >= ${query.from}::timestamptz
        AND i.first_seen_at < ${query.to}::timestamptz
    )
    SELECT source_type AS "sourceType",
      count(*)::int AS count,
      count(to_alert)::int AS alerted,
      round((percentile_cont(0.5) WITHIN GROUP (ORDER BY to_first_seen))::numeric)::float8 AS "announcedP50",
      round((percentile_cont(0.95) WITHIN GROUP (ORDER BY to_first_seen))::numeric)::float8 AS "announcedP95",
      round((percentile_cont(0.99) WITHIN GROUP (ORDER BY to_first_seen))::numeric)::float8 AS "announcedP99",
      round((percentile_cont(0.5) WITHIN GROUP (ORDER BY to_alert))::numeric)::float8 AS "alertP50",
      round((percentile_cont(0.95) WITHIN GROUP (ORDER BY to_alert))::numeric)::float8 AS "alertP95",
      round((percentile_cont(0.99) WITHIN GROUP (ORDER BY to_alert))::numeric)::float8 AS "alertP99"
    FROM measured
    GROUP BY source_type
    ORDER BY source_type`.execute(db);
  return result.rows.map((row) => ({
    sourceType: row.sourceType,
    count: row.count,
    alerted: row.alerted,
    announcedToFirstSeen: { p50: row.announcedP50, p95: row.announcedP95, p99: row.announcedP99 },
    firstSeenToAlert: { p50: row.alertP50, p95: row.alertP95, p99: row.alertP99 },
  }));
}
