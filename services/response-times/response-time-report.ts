import { connectors } from '../../connectors/registry.ts';
import type { BusinessClockRow } from '../../db/repositories/response-facts.ts';
import { chunkDurations, KIND_CODES, SEGMENT, SENTIMENT_CODES, type FactChunk } from './fact-chunk.ts';
import { CALENDAR_CLOCK, type OpeningClock, type OpeningClocks } from './opening-clock.ts';
import type { OpeningHours } from './opening-hours.ts';
import { DurationRuns } from './duration-runs.ts';
import { businessPeriodKey, type ResponseTimeGroup, type ResponseTimeQuery, type ResponseTimeReport } from './response-time-query.ts';

const DAY_MS = 86_400_000;
/** Source types whose items take no reply: counted apart, never in the figures (the connector says). */
const unrepliable = new Set(Object.values(connectors).filter((connector) => !connector.repliable).map((connector) => connector.id));

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Monday 0 … Sunday 6, for a day counted from 1970-01-01 (a Thursday). */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

const roundSeconds = (value: number | null): number | null => (value === null ? null : Math.round(value));
const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part * 1000) / whole) / 10);

/** Keys sort as PostgreSQL's "C" collation would, null last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** What a report reads: the businesses in scope, their items' chunks, and the clocks to measure with. */
export interface ReportFacts {
  businesses: readonly BusinessClockRow[];
  chunks: readonly FactChunk[];
  clocks: OpeningClocks;
}

/** The first index in values[lo..hi) (ascending) holding at least `target`; hi when none does. */
function lowerBound(values: Float64Array, target: number, lo: number, hi: number): number {
  if (lo >= hi || values[lo]! >= target) return lo;
  if (values[hi - 1]! < target) return hi;
  let low = lo + 1;
  let high = hi - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The first unanswered item of cohorts[lo..hi) (ascending) that is not yet past its
 * SLA at `now`: ages only shrink as the clock starts later, so the overdue come first.
 */
function firstNotOverdue(cohorts: Float64Array, lo: number, hi: number, clock: OpeningClock, now: number, slaMs: number): number {
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (clock.openMsBetween(cohorts[mid]!, now) > slaMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One group's running figures; its durations are collected as runs in the report's DurationRuns. */
class GroupFigures {
  readonly key: string | null;
  readonly index: number;
  items = 0;
  responded = 0;
  responseSum = 0;
  within24h = 0;
  within48h = 0;
  overdue = 0;
  resolved = 0;

  constructor(key: string | null, index: number) {
    this.key = key;
    this.index = index;
  }

  report(response: ReadonlyArray<number | null>, resolution: ReadonlyArray<number | null>): ResponseTimeGroup {
    return {
      key: this.key,
      items: this.items,
      responded: this.responded,
      respondedPct: pct(this.responded, this.items),
      medianSeconds: roundSeconds(response[0]!),
      p90Seconds: roundSeconds(response[1]!),
      meanSeconds: this.responded === 0 ? null : Math.round(this.responseSum / this.responded),
      within24hPct: pct(this.within24h, this.items),
      within48hPct: pct(this.within48h, this.items),
      open: this.items - this.responded,
      overdue: this.overdue,
      resolved: this.resolved,
      medianResolutionSeconds: roundSeconds(resolution[0]!),
    };
  }
}

/** Everything one report collects. */
interface Collected {
  responses: DurationRuns;
  resolutions: DurationRuns;
  unrepliableItems: Map<string, number>;
}

/** The item filters of a query, as codes comparable with a chunk's segment table (-1: no filter). */
interface CodedFilter {
  from: number;
  to: number;
  kind: number;
  sentiment: number;
  flagged: number;
  /** 0: no filter. */
  ratingMax: number;
}

/**
 * How a chunk is cut in time: `cuts[p]` to `cuts[p + 1]` is piece p, filed under
 * `groups[p]`; null groups mean the group is the segment's (its source or responder).
 */
interface Pieces {
  cuts: number[];
  groups: Array<GroupFigures | null>;
}

/** A chunk's pieces: the query's range, cut at every week start inside the chunk's month when grouping by week. */
function piecesOf(
  chunk: FactChunk,
  query: ResponseTimeQuery,
  filter: CodedFilter,
  group: (key: string | null) => GroupFigures,
  weekGroup: (monday: number, businessId: string | null) => GroupFigures,
): Pieces {
  switch (query.groupBy) {
    case 'business':
      return { cuts: [filter.from, filter.to], groups: [group(chunk.businessId)] };
    case 'month':
      return { cuts: [filter.from, filter.to], groups: [group(chunk.month)] };
    case 'business,month':
      return { cuts: [filter.from, filter.to], groups: [group(businessPeriodKey(chunk.businessId, chunk.month))] };
    case 'source':
    case 'responder':
      return { cuts: [filter.from, filter.to], groups: [null] };
    case 'week':
    case 'business,week': {
      const businessId = query.groupBy === 'week' ? null : chunk.businessId;
      const firstDay = Math.floor(Date.parse(`${chunk.month}T00:00:00Z`) / DAY_MS);
      const start = new Date(firstDay * DAY_MS);
      const nextMonthDay = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) / DAY_MS;
      const clip = (instant: number) => Math.min(Math.max(instant, filter.from), filter.to);
      const cuts = [filter.from];
      const groups = [weekGroup(firstDay - weekdayOf(firstDay), businessId)];
      for (let monday = firstDay + ((7 - weekdayOf(firstDay)) % 7 || 7); monday < nextMonthDay; monday += 7) {
        cuts.push(clip(monday * DAY_MS));
        groups.push(weekGroup(monday, businessId));
      }
      cuts.push(filter.to);
      return { cuts, groups };
    }
  }
}

/** Adds one chunk's items that pass the filter to their groups. */
function addChunk(
  chunk: FactChunk,
  filter: CodedFilter,
  sourceWanted: number,
  pieces: Pieces,
  groupOfSegment: ((segment: number) => GroupFigures) | null,
  clock: OpeningClock,
  slaMs: number,
  now: number,
  collected: Collected,
): void {
  const { segments, cohortMs, answeredCohortMs, resolvedCohortMs, unansweredCohortMs } = chunk;
  const durations = chunkDurations(chunk, clock);
  const { within24hBefore, within48hBefore, responseSecondsBefore } = durations;
  const { responses, resolutions, unrepliableItems } = collected;
  const { cuts, groups } = pieces;
  const W = SEGMENT.width;
  for (let s = 0; s < chunk.segmentCount; s++) {
    const row = s * W;
    const sourceType = segments[row + SEGMENT.sourceType]!;
    if (sourceWanted !== -1 && sourceType !== sourceWanted) continue;
    if (filter.kind !== -1 && segments[row + SEGMENT.kind] !== filter.kind) continue;
    if (filter.sentiment !== -1 && segments[row + SEGMENT.sentiment] !== filter.sentiment) continue;
    if (filter.flagged !== -1 && segments[row + SEGMENT.flagged] !== filter.flagged) continue;
    const rating = segments[row + SEGMENT.rating]!;
    if (filter.ratingMax !== 0 && (rating === 0 || rating > filter.ratingMax)) continue;

    let item = segments[row + SEGMENT.items]!;
    const itemsEnd = segments[row + W + SEGMENT.items]!;
    if (unrepliable.has(chunk.sourceTypes[sourceType]!)) {
      const type = chunk.sourceTypes[sourceType]!;
      const count = lowerBound(cohortMs, filter.to, item, itemsEnd) - lowerBound(cohortMs, filter.from, item, itemsEnd);
      if (count > 0) unrepliableItems.set(type, (unrepliableItems.get(type) ?? 0) + count);
      continue;
    }
    let answered = segments[row + SEGMENT.answered]!;
    const answeredEnd = segments[row + W + SEGMENT.answered]!;
    let resolved = segments[row + SEGMENT.resolved]!;
    const resolvedEnd = segments[row + W + SEGMENT.resolved]!;
    let unanswered = segments[row + SEGMENT.unanswered]!;
    const unansweredEnd = segments[row + W + SEGMENT.unanswered]!;
    const overdueEnd = unanswered < unansweredEnd ? firstNotOverdue(unansweredCohortMs, unanswered, unansweredEnd, clock, now, slaMs) : unanswered;
    const segmentGroup = groupOfSegment === null ? null : groupOfSegment(s);

    item = lowerBound(cohortMs, cuts[0]!, item, itemsEnd);
    answered = lowerBound(answeredCohortMs, cuts[0]!, answered, answeredEnd);
    resolved = lowerBound(resolvedCohortMs, cuts[0]!, resolved, resolvedEnd);
    unanswered = lowerBound(unansweredCohortMs, cuts[0]!, unanswered, unansweredEnd);
    for (let p = 0; p + 1 < cuts.length && item < itemsEnd; p++) {
      const cut = cuts[p + 1]!;
      const itemsTo = lowerBound(cohortMs, cut, item, itemsEnd);
      if (itemsTo === item) continue;
      const answeredTo = lowerBound(answeredCohortMs, cut, answered, answeredEnd);
      const resolvedTo = lowerBound(resolvedCohortMs, cut, resolved, resolvedEnd);
      const unansweredTo = lowerBound(unansweredCohortMs, cut, unanswered, unansweredEnd);
      const group = segmentGroup ?? groups[p]!;
      group.items += itemsTo - item;
      group.responded += answeredTo - answered;
      group.within24h += within24hBefore[answeredTo]! - within24hBefore[answered]!;
      group.within48h += within48hBefore[answeredTo]! - within48hBefore[answered]!;
      group.responseSum += responseSecondsBefore[answeredTo]! - responseSecondsBefore[answered]!;
      responses.add(group.index, durations.responseSeconds, durations.responseBuckets, answered, answeredTo);
      group.resolved += resolvedTo - resolved;
      resolutions.add(group.index, durations.resolutionSeconds, durations.resolutionBuckets, resolved, resolvedTo);
      group.overdue += Math.max(0, Math.min(unansweredTo, overdueEnd) - unanswered);
      item = itemsTo;
      answered = answeredTo;
      resolved = resolvedTo;
      unanswered = unansweredTo;
    }
  }
}

/**
 * Response-time figures, as defined in docs/api.md ("Response time, defined once"),
 * over the facts of the businesses in scope. Pure but for the durations each chunk
 * memoises per clock: the same facts and query give the same report. Each chunk is
 * read segment by segment: counts and sums come from positions in its sorted lists
 * and running totals, durations are noted as runs for their group, and percentiles
 * then select inside the buckets that hold their ranks (see DurationRuns).
 */
export function responseTimeReport(facts: ReportFacts, query: ResponseTimeQuery): ResponseTimeReport {
  const settings = new Map(facts.businesses.map((b) => [b.id, b]));
  const filter: CodedFilter = {
    from: query.from?.getTime() ?? -Infinity,
    to: query.to?.getTime() ?? Infinity,
    kind: query.kind === undefined ? -1 : KIND_CODES.indexOf(query.kind),
    sentiment: query.sentiment === undefined ? -1 : SENTIMENT_CODES.indexOf(query.sentiment),
    flagged: query.flagged === undefined ? -1 : query.flagged ? 1 : 0,
    ratingMax: query.ratingMax ?? 0,
  };
  const now = query.now.getTime();
  const businessFilter = query.businessIds.length > 0 ? new Set(query.businessIds) : null;
  const figures = new Map<string | null, GroupFigures>();
  const group = (key: string | null): GroupFigures => {
    let found = figures.get(key);
    if (found === undefined) figures.set(key, (found = new GroupFigures(key, figures.size)));
    return found;
  };
  // Week keys are built once per week (per business when grouping by both), not once per chunk piece.
  const weeks = new Map<string | number, GroupFigures>();
  const weekGroup = (monday: number, businessId: string | null): GroupFigures => {
    const id = businessId === null ? monday : `${businessId}${monday}`;
    let found = weeks.get(id);
    if (found === undefined) weeks.set(id, (found = group(businessId === null ? isoDay(monday) : businessPeriodKey(businessId, isoDay(monday)))));
    return found;
  };
  const clocks = new Map<string, OpeningClock>();
  const clockOf = (business: BusinessClockRow): OpeningClock => {
    if (!query.businessHours) return CALENDAR_CLOCK;
    let clock = clocks.get(business.id);
    if (clock === undefined) clocks.set(business.id, (clock = facts.clocks.of(business.timezone, business.opening_hours as OpeningHours | null)));
    return clock;
  };
  const collected: Collected = { responses: new DurationRuns(), resolutions: new DurationRuns(), unrepliableItems: new Map() };

  for (const chunk of facts.chunks) {
    if (businessFilter !== null && !businessFilter.has(chunk.businessId)) continue;
    const business = settings.get(chunk.businessId);
    if (business === undefined) continue;
    const sourceWanted = query.sourceType === undefined ? -1 : chunk.sourceTypes.indexOf(query.sourceType);
    if (sourceWanted === -1 && query.sourceType !== undefined) continue;
    const { segments } = chunk;
    const groupOfSegment =
      query.groupBy === 'source' ? (s: number) => group(chunk.sourceTypes[segments[s * SEGMENT.width + SEGMENT.sourceType]!]!)
      : query.groupBy === 'responder' ? (s: number) => group(chunk.responders[segments[s * SEGMENT.width + SEGMENT.responder]!]!)
      : null;
    const pieces = piecesOf(chunk, query, filter, group, weekGroup);
    addChunk(chunk, filter, sourceWanted, pieces, groupOfSegment, clockOf(business), business.sla_hours * 3_600_000, now, collected);
  }

  // A group numbered for a chunk whose items were all filtered out has nothing to report.
  const response = collected.responses.percentiles(figures.size, [0.5, 0.9]);
  const resolution = collected.resolutions.percentiles(figures.size, [0.5]);
  const reported = [...figures.values()].filter((g) => g.items > 0).map((g) => g.report(response[g.index]!, resolution[g.index]!));
  reported.sort((a, b) => compareKeys(a.key, b.key));
  const sourceTypes = [...collected.unrepliableItems].sort((a, b) => compareKeys(a[0], b[0])).map(([sourceType, items]) => ({ sourceType, items }));
  return { groups: reported, unrepliable: { items: sourceTypes.reduce((sum, row) => sum + row.items, 0), sourceTypes } };
}
