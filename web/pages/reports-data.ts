import type { Db } from '../../db/database.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import { reReviewMetrics, type ReReviewGroup } from '../../db/repositories/re-review-metrics.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { LabelledGroup } from '../../services/response-times/group-labels.ts';
import type { ResponseFactsCache } from '../../services/response-times/response-facts-cache.ts';
import { responseTimeFigures, type ResponseTimeFigures } from '../../services/response-times/response-time-figures.ts';
import { businessPeriodKey, type ResponseTimeGrouping, type UnrepliableSummary } from '../../services/response-times/response-time-query.ts';
import type { ReportRequest } from './reports-query.ts';

export interface ReportBusiness {
  id: string;
  name: string;
}

/** Everything the reports page shows, read through the same functions as the API's metrics. */
export interface ReportData {
  /** The businesses the report is about: every one the person can see, or the one chosen; by name. */
  businesses: ReportBusiness[];
  /** Every business the person can see, for the filter. */
  choices: ReportBusiness[];
  /** Each business's figures over the whole range (`groupBy=business`), by business id. */
  totals: ReadonlyMap<string, LabelledGroup>;
  /** Every week or month the range touches, as the API keys them (UTC Monday or first of the month). */
  periods: string[];
  /** Figures per business and period (`groupBy=business,week|month`), by `<business id>/<period>`. */
  byPeriod: ReadonlyMap<string, LabelledGroup>;
  /** Re-review outcomes of requests made in the range, by business id. */
  reReviews: ReadonlyMap<string, ReReviewGroup>;
  unrepliable: UnrepliableSummary;
}

const DAY_MS = 86_400_000;

/** The API's two-level grouping for the page's week or month. */
export function periodGrouping(request: ReportRequest): ResponseTimeGrouping {
  return request.groupBy === 'week' ? 'business,week' : 'business,month';
}

/** The same figures `/v1/metrics/response-times` gives for this page's filters, grouped as asked. */
export function reportFigures(
  db: Db,
  facts: ResponseFactsCache,
  scope: TenantScope,
  request: ReportRequest,
  groupBy: ResponseTimeGrouping,
  now: Date,
): Promise<ResponseTimeFigures | undefined> {
  return responseTimeFigures(db, facts, scope, {
    businessIds: request.businessId === null ? [] : [request.businessId],
    from: request.from,
    to: request.toExclusive,
    businessHours: request.businessHours,
    groupBy,
    now,
  });
}

/** Period keys from the one holding `from` to the one holding the range's last day. */
export function periodsBetween(from: Date, toExclusive: Date, groupBy: 'week' | 'month'): string[] {
  const last = new Date(toExclusive.getTime() - DAY_MS);
  const periods: string[] = [];
  if (groupBy === 'month') {
    const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    cursor.setUTCFullYear(from.getUTCFullYear());
    while (cursor <= last) {
      periods.push(cursor.toISOString().slice(0, 10));
      cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    }
    return periods;
  }
  // Monday 0 … Sunday 6; 1970-01-01 was a Thursday.
  const fromDay = Math.floor(from.getTime() / DAY_MS);
  const monday = fromDay - ((((fromDay + 3) % 7) + 7) % 7);
  for (let day = monday; day * DAY_MS <= last.getTime(); day += 7) periods.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
  return periods;
}

/** The page's figures; undefined when the business asked for is not one the person can see. */
export async function loadReport(db: Db, facts: ResponseFactsCache, scope: TenantScope, request: ReportRequest, now: Date): Promise<ReportData | undefined> {
  const choices = (await listBusinesses(db, scope))
    .map((business) => ({ id: business.id, name: business.name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const businesses = request.businessId === null ? choices : choices.filter((business) => business.id === request.businessId);
  if (businesses.length === 0 && request.businessId !== null) return undefined;
  const totals = await reportFigures(db, facts, scope, request, 'business', now);
  const perPeriod = await reportFigures(db, facts, scope, request, periodGrouping(request), now);
  if (totals === undefined || perPeriod === undefined) return undefined;
  const reReviews = await reReviewMetrics(db, scope, {
    groupBy: 'business',
    ...(request.businessId !== null && { businessId: request.businessId }),
    from: request.from,
    to: request.toExclusive,
  });
  return {
    businesses,
    choices,
    totals: new Map(totals.groups.map((group) => [group.businessId ?? '', group])),
    periods: periodsBetween(request.from, request.toExclusive, request.groupBy),
    byPeriod: new Map(perPeriod.groups.map((group) => [businessPeriodKey(group.businessId ?? '', group.period ?? ''), group])),
    reReviews: new Map(reReviews.map((group) => [group.key, group])),
    unrepliable: totals.unrepliable,
  };
}
