import { sql, type Kysely, type RawBuilder } from 'kysely';
import { UNREPLIABLE_SOURCE_TYPES } from '../../services/metrics/repliable-sources.ts';
import type {
  ResponseTimeGroup,
  ResponseTimeGrouping,
  ResponseTimeQuery,
  ResponseTimeReport,
  UnrepliableSummary,
} from '../../services/metrics/response-time-query.ts';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** The instant an item's clock starts: when it was published, or first seen if the platform gives no date. */
const COHORT_AT = sql`coalesce(i.published_at, i.first_seen_at)`;

/** Seconds from t0 to t1: on the calendar, or only within the business's opening hours. */
function duration(query: ResponseTimeQuery, t0: RawBuilder<unknown>, t1: RawBuilder<unknown>): RawBuilder<number> {
  return query.businessHours
    ? sql<number>`earshot_open_seconds(${t0}, ${t1}, b.timezone, b.opening_hours)`
    : sql<number>`extract(epoch FROM (${t1}) - (${t0}))::double precision`;
}

function groupKey(grouping: ResponseTimeGrouping): RawBuilder<string | null> {
  switch (grouping) {
    case 'business':
      return sql`i.business_id::text`;
    case 'source':
      return sql`s.type`;
    // Calendar weeks (Monday) and months in UTC, so one key means the same span for every business.
    case 'week':
      return sql`to_char(date_trunc('week', ${COHORT_AT} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
    case 'month':
      return sql`to_char(date_trunc('month', ${COHORT_AT} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
    // The platform, or the key that first marked the item responded in Earshot; null: unanswered.
    case 'responder':
      return sql`CASE i.first_response_source
        WHEN 'platform' THEN 'platform'
        WHEN 'earshot' THEN coalesce((
          SELECT e.actor FROM item_events e WHERE e.item_id = i.id AND e.type = 'responded' ORDER BY e.at, e.id LIMIT 1
        ), 'earshot')
      END`;
  }
}

/** The WHERE shared by the figures and the unrepliable count: scope and every filter but repliability. */
function itemFilter(scope: TenantScope, query: ResponseTimeQuery): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`i.account_id = ${scope.accountId}`, inBusinessScope('i.business_id', scope)];
  if (query.businessIds.length > 0) conditions.push(sql`i.business_id = any(${[...query.businessIds]}::uuid[])`);
  if (query.sourceType !== undefined) conditions.push(sql`s.type = ${query.sourceType}`);
  if (query.kind !== undefined) conditions.push(sql`i.kind = ${query.kind}`);
  if (query.sentiment !== undefined) conditions.push(sql`i.sentiment_label = ${query.sentiment}`);
  if (query.flagged !== undefined) conditions.push(sql`i.flagged = ${query.flagged}`);
  if (query.ratingMax !== undefined) conditions.push(sql`i.rating <= ${query.ratingMax}`);
  if (query.from !== undefined) conditions.push(sql`${COHORT_AT} >= ${query.from}`);
  if (query.to !== undefined) conditions.push(sql`${COHORT_AT} < ${query.to}`);
  return sql<boolean>`${sql.join(conditions, sql` AND `)}`;
}

interface GroupRow {
  key: string | null;
  items: string;
  responded: string;
  median_s: number | null;
  p90_s: number | null;
  mean_s: number | null;
  within_24h: string;
  within_48h: string;
  overdue: string;
  resolved: string;
  median_resolution_s: number | null;
}

const roundSeconds = (value: number | null): number | null => (value === null ? null : Math.round(Number(value)));
const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part * 1000) / whole) / 10);

function toGroup(row: GroupRow): ResponseTimeGroup {
  const items = Number(row.items);
  const responded = Number(row.responded);
  return {
    key: row.key,
    items,
    responded,
    respondedPct: pct(responded, items),
    medianSeconds: roundSeconds(row.median_s),
    p90Seconds: roundSeconds(row.p90_s),
    meanSeconds: roundSeconds(row.mean_s),
    within24hPct: pct(Number(row.within_24h), items),
    within48hPct: pct(Number(row.within_48h), items),
    open: items - responded,
    overdue: Number(row.overdue),
    resolved: Number(row.resolved),
    medianResolutionSeconds: roundSeconds(row.median_resolution_s),
  };
}

/**
 * Response-time figures, as defined in docs/api.md ("Response time, defined once"):
 * one pass over the items in scope, aggregated in PostgreSQL.
 */
export async function responseTimeReport(db: Kysely<Database>, scope: TenantScope, query: ResponseTimeQuery): Promise<ResponseTimeReport> {
  const filter = itemFilter(scope, query);
  const unrepliableTypes = [...UNREPLIABLE_SOURCE_TYPES];
  const response = duration(query, COHORT_AT, sql`i.first_response_at`);
  const resolution = duration(query, COHORT_AT, sql`i.resolved_at`);
  const age = duration(query, COHORT_AT, sql`${query.now}::timestamptz`);
  const groups = await sql<GroupRow>`
    WITH measured AS (
      SELECT ${groupKey(query.groupBy)} AS key,
        CASE WHEN i.first_response_at IS NOT NULL THEN greatest(0, ${response}) END AS response_s,
        CASE WHEN i.resolved_at IS NOT NULL THEN greatest(0, ${resolution}) END AS resolution_s,
        CASE WHEN i.first_response_at IS NULL THEN ${age} END AS open_age_s,
        b.sla_hours
      FROM items i
      JOIN sources s ON s.id = i.source_id
      JOIN businesses b ON b.id = i.business_id
      WHERE ${filter} AND s.type <> ALL(${unrepliableTypes}::text[])
    )
    SELECT key,
      count(*) AS items,
      count(response_s) AS responded,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY response_s) AS median_s,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY response_s) AS p90_s,
      avg(response_s) AS mean_s,
      count(*) FILTER (WHERE response_s <= 24 * 3600) AS within_24h,
      count(*) FILTER (WHERE response_s <= 48 * 3600) AS within_48h,
      count(*) FILTER (WHERE open_age_s > sla_hours * 3600) AS overdue,
      count(resolution_s) AS resolved,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_s) AS median_resolution_s
    FROM measured
    GROUP BY key
    ORDER BY key NULLS LAST
  `.execute(db);
  return { groups: groups.rows.map(toGroup), unrepliable: await unrepliableSummary(db, filter, unrepliableTypes) };
}

async function unrepliableSummary(db: Kysely<Database>, filter: RawBuilder<boolean>, types: string[]): Promise<UnrepliableSummary> {
  const rows = await sql<{ source_type: string; items: string }>`
    SELECT s.type AS source_type, count(*) AS items
    FROM items i JOIN sources s ON s.id = i.source_id
    WHERE ${filter} AND s.type = ANY(${types}::text[])
    GROUP BY s.type ORDER BY s.type
  `.execute(db);
  const sourceTypes = rows.rows.map((row) => ({ sourceType: row.source_type, items: Number(row.items) }));
  return { items: sourceTypes.reduce((sum, row) => sum + row.items, 0), sourceTypes };
}
