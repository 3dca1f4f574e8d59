import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export type ReReviewGroupBy = 'business' | 'month' | 'channel';

export interface ReReviewMetricsQuery {
  businessId?: string;
  /** Requests made at or after this time. */
  from?: Date;
  /** Requests made before this time. */
  to?: Date;
  groupBy: ReReviewGroupBy;
}

export interface ReReviewGroup {
  /** The business id, the month's first day (UTC, `YYYY-MM-01`) or the channel. */
  key: string;
  requested: number;
  revised: number;
  removed: number;
  expired: number;
  pending: number;
  /** Revised with a higher rating than when the customer was asked. */
  improved: number;
  /** Over revised requests whose rating is known before and after; null when there are none. */
  averageRatingChange: number | null;
  medianRatingChange: number | null;
  medianDaysToRevision: number | null;
}

const GROUP_KEYS: Record<ReReviewGroupBy, RawBuilder<string>> = {
  business: sql<string>`business_id::text`,
  month: sql<string>`to_char(date_trunc('month', requested_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
  channel: sql<string>`channel`,
};

/** Requests are counted in the cohort of when they were made; outcomes are as they stand now. */
export async function reReviewMetrics(db: Kysely<Database>, scope: TenantScope, query: ReReviewMetricsQuery): Promise<ReReviewGroup[]> {
  const key = GROUP_KEYS[query.groupBy];
  const rated = sql`status = 'revised' AND rating_before IS NOT NULL AND rating_after IS NOT NULL`;
  const result = await sql<ReReviewGroup>`
    SELECT ${key} AS key,
      count(*)::int AS requested,
      count(*) FILTER (WHERE status = 'revised')::int AS revised,
      count(*) FILTER (WHERE status = 'removed')::int AS removed,
      count(*) FILTER (WHERE status = 'expired')::int AS expired,
      count(*) FILTER (WHERE status = 'pending')::int AS pending,
      count(*) FILTER (WHERE ${rated} AND rating_after > rating_before)::int AS improved,
      (avg(rating_after - rating_before) FILTER (WHERE ${rated}))::float8 AS "averageRatingChange",
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY rating_after - rating_before) FILTER (WHERE ${rated}))::float8 AS "medianRatingChange",
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - requested_at) / 86400)
        FILTER (WHERE status = 'revised'))::float8 AS "medianDaysToRevision"
    FROM re_review_requests
    WHERE account_id = ${scope.accountId}::uuid
      AND ${inBusinessScope('re_review_requests.business_id', scope)}
      AND (${query.businessId ?? null}::uuid IS NULL OR business_id = ${query.businessId ?? null}::uuid)
      AND (${query.from ?? null}::timestamptz IS NULL OR requested_at >= ${query.from ?? null}::timestamptz)
      AND (${query.to ?? null}::timestamptz IS NULL OR requested_at < ${query.to ?? null}::timestamptz)
    GROUP BY 1
    ORDER BY 1`.execute(db);
  return result.rows;
}
