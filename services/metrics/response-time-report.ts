import type { BusinessClockRow } from '../../db/repositories/response-facts.ts';
import { KIND_CODES, SENTIMENT_CODES, type FactChunk } from './fact-chunk.ts';
import { CALENDAR_CLOCK, openingClock, type OpeningClock } from './opening-clock.ts';
import type { OpeningHours } from './opening-hours.ts';
import { percentileCont } from './percentile.ts';
import { UNREPLIABLE_SOURCE_TYPES } from './repliable-sources.ts';
import type { ResponseTimeGroup, ResponseTimeQuery, ResponseTimeReport } from './response-time-query.ts';

const DAY_MS = 86_400_000;
const unrepliable = new Set(UNREPLIABLE_SOURCE_TYPES);

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Monday of the (UTC) week of a day counted from 1970-01-01 (a Thursday). */
const weekStart = (day: number) => isoDay(day - ((((day + 3) % 7) + 7) % 7));
const monthStart = (day: number) => `${isoDay(day).slice(0, 7)}-01`;

const roundSeconds = (value: number | null): number | null => (value === null ? null : Math.round(value));
const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part * 1000) / whole) / 10);

/** Keys sort as PostgreSQL's "C" collation would, null last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The item filters of a query, as codes comparable with a chunk's columns (-1: no filter). */
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
 * Everything one report accumulates: per-group counters (typed arrays, grown as groups
 * appear) and every duration filed under its group number.
 */
class Accumulator {
  readonly keys: Array<string | null> = [];
  private readonly numbers = new Map<string | null, number>();
  items = new Float64Array(16);
  responded = new Float64Array(16);
  resolved = new Float64Array(16);
  overdue = new Float64Array(16);
  within24h = new Float64Array(16);
  within48h = new Float64Array(16);
  responseSum = new Float64Array(16);
  readonly responseGroup: Int32Array;
  readonly responses: Float64Array;
  responseCount = 0;
  readonly resolutionGroup: Int32Array;
  readonly resolutions: Float64Array;
  resolutionCount = 0;
  readonly unrepliable = new Map<string, number>();

  constructor(capacity: number) {
    this.responseGroup = new Int32Array(capacity);
    this.responses = new Float64Array(capacity);
    this.resolutionGroup = new Int32Array(capacity);
    this.resolutions = new Float64Array(capacity);
  }

  group(key: string | null): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.length;
      this.keys.push(key);
      this.numbers.set(key, n);
      if (n >= this.items.length) this.grow();
    }
    return n;
  }

  private grow(): void {
    const bigger = (counts: Float64Array) => {
      const next = new Float64Array(counts.length * 2);
      next.set(counts);
      return next;
    };
    this.items = bigger(this.items);
    this.responded = bigger(this.responded);
    this.resolved = bigger(this.resolved);
    this.overdue = bigger(this.overdue);
    this.within24h = bigger(this.within24h);
    this.within48h = bigger(this.within48h);
    this.responseSum = bigger(this.responseSum);
  }
}

/** How an item's group number is found in a chunk's `groups` table. */
const GROUP_LOOKUP = { constant: 0, bySourceType: 1, byResponder: 2, byDayOfMonth: 3 } as const;
type GroupLookup = (typeof GROUP_LOOKUP)[keyof typeof GROUP_LOOKUP];

/** Files one chunk's items that pass the filter under their group numbers. */
function scanChunk(
  chunk: FactChunk,
  filter: CodedFilter,
  sourceWanted: number,
  repliable: readonly boolean[],
  lookup: GroupLookup,
  groups: Int32Array,
  firstDay: number,
  clock: OpeningClock,
  slaMs: number,
  now: number,
  acc: Accumulator,
): void {
  const { cohortMs, firstResponseMs, resolvedMs, sourceType, kind, sentiment, flagged, rating, responder } = chunk;
  const { items, responded, resolved, overdue, within24h, within48h, responseSum, responseGroup, responses, resolutionGroup, resolutions } = acc;
  const calendar = clock === CALENDAR_CLOCK;
  let responseCount = acc.responseCount;
  let resolutionCount = acc.resolutionCount;
  for (let i = 0; i < chunk.size; i++) {
    const cohort = cohortMs[i]!;
    if (cohort < filter.from || cohort >= filter.to) continue;
    if (sourceWanted !== -1 && sourceType[i] !== sourceWanted) continue;
    if (filter.kind !== -1 && kind[i] !== filter.kind) continue;
    if (filter.sentiment !== -1 && sentiment[i] !== filter.sentiment) continue;
    if (filter.flagged !== -1 && flagged[i] !== filter.flagged) continue;
    if (filter.ratingMax !== 0 && (rating[i] === 0 || rating[i]! > filter.ratingMax)) continue;
    if (!repliable[sourceType[i]!]) {
      const type = chunk.sourceTypes[sourceType[i]!]!;
      acc.unrepliable.set(type, (acc.unrepliable.get(type) ?? 0) + 1);
      continue;
    }
    const group =
      lookup === GROUP_LOOKUP.constant ? groups[0]!
      : lookup === GROUP_LOOKUP.bySourceType ? groups[sourceType[i]!]!
      : lookup === GROUP_LOOKUP.byResponder ? groups[responder[i]!]!
      : groups[Math.floor(cohort / DAY_MS) - firstDay]!;
    items[group]!++;

    const answeredAt = firstResponseMs[i]!;
    if (answeredAt !== answeredAt) {
      // NaN: still unanswered.
      const ageMs = calendar ? now - cohort : clock.openMsBetween(cohort, now);
      if (ageMs > slaMs) overdue[group]!++;
    } else {
      const seconds = (calendar ? Math.max(0, answeredAt - cohort) : clock.openMsBetween(cohort, answeredAt)) / 1000;
      responseGroup[responseCount] = group;
      responses[responseCount++] = seconds;
      responded[group]!++;
      responseSum[group]! += seconds;
      if (seconds <= 86_400) within24h[group]!++;
      if (seconds <= 172_800) within48h[group]!++;
    }
    const resolvedAt = resolvedMs[i]!;
    if (resolvedAt === resolvedAt) {
      resolutionGroup[resolutionCount] = group;
      resolutions[resolutionCount++] = (calendar ? Math.max(0, resolvedAt - cohort) : clock.openMsBetween(cohort, resolvedAt)) / 1000;
      resolved[group]!++;
    }
  }
  acc.responseCount = responseCount;
  acc.resolutionCount = resolutionCount;
}

/** One group's values of a duration, side by side in one array (a counting sort by group). */
function slicesByGroup(groupOf: Int32Array, values: Float64Array, count: number, perGroup: Float64Array, groups: number): Float64Array[] {
  const starts = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) starts[g + 1] = starts[g]! + perGroup[g]!;
  const sorted = new Float64Array(starts[groups]!);
  const next = starts.slice(0, groups);
  for (let i = 0; i < count; i++) sorted[next[groupOf[i]!]!++] = values[i]!;
  return Array.from({ length: groups }, (_, g) => sorted.subarray(starts[g]!, starts[g + 1]!));
}

/**
 * Response-time figures, as defined in docs/api.md ("Response time, defined once"),
 * over the facts of the businesses in scope. Pure: the same facts and query give the
 * same report. One pass files each item's durations under its group; the percentiles
 * then run on each group's values (linear-time selection, no sort).
 */
export function responseTimeReport(businesses: readonly BusinessClockRow[], chunks: readonly FactChunk[], query: ResponseTimeQuery): ResponseTimeReport {
  const settings = new Map(businesses.map((b) => [b.id, b]));
  const clocks = new Map<string, OpeningClock>();
  const clockOf = (business: BusinessClockRow): OpeningClock => {
    const hours = query.businessHours ? (business.opening_hours as OpeningHours | null) : null;
    if (hours === null) return CALENDAR_CLOCK;
    const id = `${business.timezone}|${JSON.stringify(hours)}`;
    let clock = clocks.get(id);
    if (clock === undefined) clocks.set(id, (clock = openingClock(business.timezone, hours)));
    return clock;
  };
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
  const acc = new Accumulator(chunks.reduce((sum, chunk) => sum + chunk.size, 0));
  const dayGroups = new Map<number, number>();
  const groupOfDay = (day: number): number => {
    let group = dayGroups.get(day);
    if (group === undefined) dayGroups.set(day, (group = acc.group(query.groupBy === 'week' ? weekStart(day) : monthStart(day))));
    return group;
  };

  for (const chunk of chunks) {
    if (businessFilter !== null && !businessFilter.has(chunk.businessId)) continue;
    const business = settings.get(chunk.businessId);
    if (business === undefined) continue;
    const sourceWanted = query.sourceType === undefined ? -1 : chunk.sourceTypes.indexOf(query.sourceType);
    if (sourceWanted === -1 && query.sourceType !== undefined) continue;
    if (chunk.cohortMs.length === 0) continue;
    // Every group a chunk's items can fall in is numbered before its items are read.
    let lookup: GroupLookup;
    let groups: Int32Array;
    // A chunk holds one month: by week or month, an item's group is looked up by its day of that month.
    const firstDay = Math.floor(Date.parse(`${chunk.month}T00:00:00Z`) / DAY_MS);
    switch (query.groupBy) {
      case 'business':
        lookup = GROUP_LOOKUP.constant;
        groups = Int32Array.of(acc.group(chunk.businessId));
        break;
      case 'source':
        lookup = GROUP_LOOKUP.bySourceType;
        groups = Int32Array.from(chunk.sourceTypes, (type) => acc.group(type));
        break;
      case 'responder':
        lookup = GROUP_LOOKUP.byResponder;
        groups = Int32Array.from(chunk.responders, (who) => acc.group(who));
        break;
      case 'week':
      case 'month':
        lookup = GROUP_LOOKUP.byDayOfMonth;
        groups = Int32Array.from({ length: 31 }, (_, d) => groupOfDay(firstDay + d));
        break;
    }
    const repliable = chunk.sourceTypes.map((type) => !unrepliable.has(type));
    scanChunk(chunk, filter, sourceWanted, repliable, lookup, groups, firstDay, clockOf(business), business.sla_hours * 3_600_000, now, acc);
  }

  const count = acc.keys.length;
  const responseSlices = slicesByGroup(acc.responseGroup, acc.responses, acc.responseCount, acc.responded, count);
  const resolutionSlices = slicesByGroup(acc.resolutionGroup, acc.resolutions, acc.resolutionCount, acc.resolved, count);
  const reported: ResponseTimeGroup[] = [];
  acc.keys.forEach((key, g) => {
    const items = acc.items[g]!;
    // A group numbered for a chunk whose items were all filtered out has nothing to report.
    if (items === 0) return;
    const responded = acc.responded[g]!;
    reported.push({
      key,
      items,
      responded,
      respondedPct: pct(responded, items),
      medianSeconds: roundSeconds(percentileCont(responseSlices[g]!, 0.5)),
      p90Seconds: roundSeconds(percentileCont(responseSlices[g]!, 0.9)),
      meanSeconds: responded === 0 ? null : Math.round(acc.responseSum[g]! / responded),
      within24hPct: pct(acc.within24h[g]!, items),
      within48hPct: pct(acc.within48h[g]!, items),
      open: items - responded,
      overdue: acc.overdue[g]!,
      resolved: acc.resolved[g]!,
      medianResolutionSeconds: roundSeconds(percentileCont(resolutionSlices[g]!, 0.5)),
    });
  });
  reported.sort((a, b) => compareKeys(a.key, b.key));
  const sourceTypes = [...acc.unrepliable].sort((a, b) => compareKeys(a[0], b[0])).map(([sourceType, items]) => ({ sourceType, items }));
  return { groups: reported, unrepliable: { items: sourceTypes.reduce((sum, row) => sum + row.items, 0), sourceTypes } };
}
