import type { ResponseFactRow } from '../../db/repositories/response-facts.ts';
import type { ItemKind, SentimentLabel } from '../../db/schema.ts';
import { bucketsOf } from './duration-buckets.ts';
import { CALENDAR_CLOCK, type OpeningClock } from './opening-clock.ts';

export const KIND_CODES: readonly ItemKind[] = ['review', 'mention'];
/** Code 0: not analysed yet. */
export const SENTIMENT_CODES: ReadonlyArray<SentimentLabel | null> = [null, 'negative', 'neutral', 'positive', 'unknown'];

/**
 * Columns of a chunk's segment table. A segment is a run of items that every filter
 * and grouping treats alike (same source type, kind, sentiment, flag, rating and
 * responder); the last four columns say where its items start in each list.
 */
export const SEGMENT = {
  sourceType: 0,
  kind: 1,
  sentiment: 2,
  flagged: 3,
  /** 0: unrated. */
  rating: 4,
  responder: 5,
  items: 6,
  answered: 7,
  resolved: 8,
  unanswered: 9,
  width: 10,
} as const;

/**
 * How long each answered and each resolved item took, in seconds, on one clock;
 * parallel to the chunk's answered and resolved lists, with each duration's bucket
 * (for percentiles) and running totals, so a run of items is summed in O(1).
 */
export interface ChunkDurations {
  responseSeconds: Float64Array;
  responseBuckets: Uint16Array;
  /** [i]: how many of the first i responses took at most 24 h; 48 h; their sum in seconds. */
  within24hBefore: Int32Array;
  within48hBefore: Int32Array;
  responseSecondsBefore: Float64Array;
  resolutionSeconds: Float64Array;
  resolutionBuckets: Uint16Array;
}

function durations(clock: OpeningClock, chunk: Pick<FactChunk, 'answeredCohortMs' | 'firstResponseMs' | 'resolvedCohortMs' | 'resolvedMs'>): ChunkDurations {
  const responseSeconds = measure(clock, chunk.answeredCohortMs, chunk.firstResponseMs);
  const resolutionSeconds = measure(clock, chunk.resolvedCohortMs, chunk.resolvedMs);
  const n = responseSeconds.length;
  const within24hBefore = new Int32Array(n + 1);
  const within48hBefore = new Int32Array(n + 1);
  const responseSecondsBefore = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const seconds = responseSeconds[i]!;
    within24hBefore[i + 1] = within24hBefore[i]! + (seconds <= 86_400 ? 1 : 0);
    within48hBefore[i + 1] = within48hBefore[i]! + (seconds <= 172_800 ? 1 : 0);
    responseSecondsBefore[i + 1] = responseSecondsBefore[i]! + seconds;
  }
  return {
    responseSeconds,
    responseBuckets: bucketsOf(responseSeconds),
    within24hBefore,
    within48hBefore,
    responseSecondsBefore,
    resolutionSeconds,
    resolutionBuckets: bucketsOf(resolutionSeconds),
  };
}

/**
 * The response-time facts of one business's items whose clock starts in one month
 * (UTC). Items are sorted by segment, then by the instant their clock starts, and
 * kept as four lists of those instants (every item; the answered; the resolved; the
 * unanswered): a report finds any time range of a segment with two binary searches
 * and reads the durations of its answered items as one contiguous run, so it costs
 * per segment, not per item. Instants are ms since the epoch.
 */
export interface FactChunk {
  businessId: string;
  month: string;
  sourceTypes: string[];
  /** 'platform', who answered in Earshot, or null (unanswered). */
  responders: Array<string | null>;
  segmentCount: number;
  /** `segmentCount + 1` rows of `SEGMENT.width` columns; the last row holds only where each list ends. */
  segments: Int32Array;
  cohortMs: Float64Array;
  answeredCohortMs: Float64Array;
  firstResponseMs: Float64Array;
  resolvedCohortMs: Float64Array;
  resolvedMs: Float64Array;
  unansweredCohortMs: Float64Array;
  calendar: ChunkDurations;
  /** The durations on the last opening-hours clock asked for, kept until another clock is asked for. */
  openingHours: { clock: OpeningClock; durations: ChunkDurations } | null;
}

function coder<T>(values: T[]): (value: T) => number {
  const codes = new Map<T, number>(values.map((value, code) => [value, code]));
  return (value) => {
    let code = codes.get(value);
    if (code === undefined) {
      code = values.length;
      values.push(value);
      codes.set(value, code);
    }
    return code;
  };
}

function measure(clock: OpeningClock, starts: Float64Array, ends: Float64Array): Float64Array {
  const seconds = new Float64Array(starts.length);
  for (let i = 0; i < starts.length; i++) seconds[i] = clock.openMsBetween(starts[i]!, ends[i]!) / 1000;
  return seconds;
}

/** The chunk's durations on this clock: the calendar's are kept from the start, others are computed once per clock. */
export function chunkDurations(chunk: FactChunk, clock: OpeningClock): ChunkDurations {
  if (clock === CALENDAR_CLOCK) return chunk.calendar;
  if (chunk.openingHours?.clock !== clock) chunk.openingHours = { clock, durations: durations(clock, chunk) };
  return chunk.openingHours.durations;
}

interface CodedRow {
  row: ResponseFactRow;
  /** The segment's columns, as one sortable number. */
  segmentKey: number;
  codes: [number, number, number, number, number, number];
}

function pack(list: readonly ResponseFactRow[]): FactChunk {
  const sourceTypes: string[] = [];
  const responders: Array<string | null> = [];
  const sourceTypeCode = coder(sourceTypes);
  const responderCode = coder(responders);
  const coded: CodedRow[] = list.map((row) => ({
    row,
    segmentKey: 0,
    codes: [
      sourceTypeCode(row.source_type),
      KIND_CODES.indexOf(row.kind),
      SENTIMENT_CODES.indexOf(row.sentiment_label),
      row.flagged ? 1 : 0,
      row.rating ?? 0,
      responderCode(row.responder),
    ],
  }));
  for (const entry of coded) {
    const [sourceType, kind, sentiment, flagged, rating, responder] = entry.codes;
    entry.segmentKey = ((((sourceType * 2 + kind) * 5 + sentiment) * 2 + flagged) * 6 + rating) * responders.length + responder;
  }
  coded.sort((a, b) => a.segmentKey - b.segmentKey || a.row.cohort_ms - b.row.cohort_ms);

  const size = coded.length;
  const answered = coded.filter(({ row }) => row.first_response_ms !== null).length;
  const resolved = coded.filter(({ row }) => row.resolved_ms !== null).length;
  const lists = {
    cohortMs: new Float64Array(size),
    answeredCohortMs: new Float64Array(answered),
    firstResponseMs: new Float64Array(answered),
    resolvedCohortMs: new Float64Array(resolved),
    resolvedMs: new Float64Array(resolved),
    unansweredCohortMs: new Float64Array(size - answered),
  };
  const rows: number[] = [];
  let [a, r, u] = [0, 0, 0];
  coded.forEach(({ row, segmentKey, codes }, i) => {
    if (i === 0 || segmentKey !== coded[i - 1]!.segmentKey) rows.push(...codes, i, a, r, u);
    lists.cohortMs[i] = row.cohort_ms;
    if (row.first_response_ms === null) lists.unansweredCohortMs[u++] = row.cohort_ms;
    else {
      lists.answeredCohortMs[a] = row.cohort_ms;
      lists.firstResponseMs[a++] = row.first_response_ms;
    }
    if (row.resolved_ms !== null) {
      lists.resolvedCohortMs[r] = row.cohort_ms;
      lists.resolvedMs[r++] = row.resolved_ms;
    }
  });
  const segmentCount = rows.length / SEGMENT.width;
  rows.push(0, 0, 0, 0, 0, 0, size, a, r, u);
  const chunk: FactChunk = {
    businessId: list[0]!.business_id,
    month: list[0]!.cohort_month,
    sourceTypes,
    responders,
    segmentCount,
    segments: Int32Array.from(rows),
    ...lists,
    calendar: durations(CALENDAR_CLOCK, lists),
    openingHours: null,
  };
  return chunk;
}

/** Rows grouped into chunks, keyed by `business/month`. */
export function packFactChunks(rows: readonly ResponseFactRow[]): Map<string, FactChunk> {
  const grouped = new Map<string, ResponseFactRow[]>();
  for (const row of rows) {
    const id = `${row.business_id}/${row.cohort_month}`;
    let list = grouped.get(id);
    if (list === undefined) grouped.set(id, (list = []));
    list.push(row);
  }
  return new Map([...grouped].map(([id, list]) => [id, pack(list)]));
}
