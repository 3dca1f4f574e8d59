import type { Db } from '../../../db/database.ts';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { reReviewMetrics } from '../../../db/repositories/re-review-metrics.ts';
import { countItemsByWeek, countRevisedReReviews, listWaitingBadItems } from '../../../db/repositories/weekly-reports.ts';
import { createResponseFactsCache } from '../../response-times/response-facts-cache.ts';
import { responseTimeFigures } from '../../response-times/response-time-figures.ts';
import { sourceName } from '../alert-email.ts';
import { reportWeeks } from './report-weeks.ts';
import type { ReportResponses, WeeklyReportContent } from './weekly-report-content.ts';

/** Bad items the report lists by name; the inbox has the rest. */
export const WAITING_LISTED = 10;

/** Which weekly report: the business, and the period key the scheduler wrote as its incident. */
export interface WeeklyReportSubject {
  accountId: string;
  businessId: string;
  /** `weekly:2026-03-30`. */
  periodKey: string;
}

/**
 * Everything a weekly report says, read now for the week its key names. Each figure comes
 * from where the product defines it, so the report never disagrees with the API:
 * - answered share and median response time: the response-time engine behind
 *   GET /v1/metrics/response-times, over the items published in the week, in business
 *   hours as the business is set up (no opening hours set: every hour counts);
 * - re-reviews asked for: GET /v1/metrics/re-reviews over requests made in the week;
 * - bad items waiting: the inbox's "Needs reply" question;
 * - items per week (by published time, as response-time cohorts are) and revisions in
 *   the week: db/repositories/weekly-reports.ts.
 * `now` is the instant open items' ages are measured to. Undefined when the business is gone.
 */
export async function readWeeklyReport(db: Db, subject: WeeklyReportSubject, publicUrl: string, now: Date): Promise<WeeklyReportContent | undefined> {
  const { accountId, businessId } = subject;
  const scope = { accountId, businessIds: [businessId] };
  const business = await findBusiness(db, scope, businessId);
  if (business === undefined) return undefined;
  const weeks = reportWeeks(subject.periodKey, { at: business.digestTime, timeZone: business.timezone });
  const week = weeks.at(-1)!;
  const counts = await countItemsByWeek(db, businessId, weeks);
  // A cache of its own: the report reads one business once a week, so nothing is worth keeping.
  const responses = await responseTimeFigures(db, createResponseFactsCache(), scope, {
    businessIds: [businessId],
    from: week.start,
    to: week.end,
    businessHours: true,
    groupBy: 'business',
    now,
  });
  const asked = await reReviewMetrics(db, scope, { groupBy: 'business', businessId, from: week.start, to: week.end });
  const revised = await countRevisedReReviews(db, businessId, week.start, week.end);
  const waiting = await listWaitingBadItems(db, businessId, WAITING_LISTED);
  const group = responses?.groups[0];
  const answered: ReportResponses = {
    items: group?.items ?? 0,
    responded: group?.responded ?? 0,
    respondedPct: group?.respondedPct ?? null,
    medianSeconds: group?.medianSeconds ?? null,
    unrepliable: responses?.unrepliable.items ?? 0,
    openingHoursOnly: business.openingHours !== null,
  };
  return {
    businessName: business.name,
    timeZone: business.timezone,
    weeks: weeks.map((period, index) => ({ start: period.start, end: period.end, ...counts[index]! })),
    responses: answered,
    reReviews: { requested: asked[0]?.requested ?? 0, revised: revised.revised, averageRatingChange: revised.averageRatingChange },
    waiting: {
      total: waiting.total,
      items: waiting.items.map((item) => ({
        itemId: item.id,
        kind: item.kind,
        sourceName: sourceName(item.sourceType),
        rating: item.rating,
        sentiment: item.sentiment,
        topics: item.topics,
        author: item.author,
        title: item.title,
        text: item.excerpt,
        publishedAt: item.publishedAt,
        itemUrl: `${publicUrl}/items/${item.id}`,
        answered: false,
      })),
    },
    inboxUrl: `${publicUrl}/?business=${encodeURIComponent(businessId)}`,
  };
}
