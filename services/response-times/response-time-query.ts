import type { ItemKind, SentimentLabel } from '../../db/schema.ts';

/**
 * How response-time figures are split into groups. The two-level ones give one group per
 * business and period ("per business per week" in one call), keyed `<business id>/<period start>`.
 */
export const RESPONSE_TIME_GROUPINGS = ['business', 'source', 'week', 'month', 'responder', 'business,week', 'business,month'] as const;
export type ResponseTimeGrouping = (typeof RESPONSE_TIME_GROUPINGS)[number];

/** The key of a two-level group. */
export function businessPeriodKey(businessId: string, period: string): string {
  return `${businessId}/${period}`;
}

/** Which items a response-time report covers, and how it measures and groups them. */
export interface ResponseTimeQuery {
  /** Within the caller's scope; empty: all the caller can see. */
  businessIds: readonly string[];
  sourceType?: string | undefined;
  kind?: ItemKind | undefined;
  sentiment?: SentimentLabel | undefined;
  flagged?: boolean | undefined;
  /** Only rated items at or below this rating. */
  ratingMax?: number | undefined;
  /** Cohort: items published at or after `from` and before `to`. */
  from?: Date | undefined;
  to?: Date | undefined;
  /** true: durations count only each business's opening hours, in its time zone. */
  businessHours: boolean;
  groupBy: ResponseTimeGrouping;
  /** The instant open items' ages are measured to. */
  now: Date;
}

/** One group's figures; seconds rounded to whole seconds, percentages to one decimal. */
export interface ResponseTimeGroup {
  key: string | null;
  items: number;
  responded: number;
  respondedPct: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
  within24hPct: number | null;
  within48hPct: number | null;
  open: number;
  overdue: number;
  resolved: number;
  medianResolutionSeconds: number | null;
}

/** Items from sources with no way to answer them, counted apart so they do not drag the figures down. */
export interface UnrepliableSummary {
  items: number;
  sourceTypes: Array<{ sourceType: string; items: number }>;
}

export interface ResponseTimeReport {
  groups: ResponseTimeGroup[];
  unrepliable: UnrepliableSummary;
}
