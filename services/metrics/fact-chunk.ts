import type { ResponseFactRow } from '../../db/repositories/response-facts.ts';
import type { ItemKind, SentimentLabel } from '../../db/schema.ts';

export const KIND_CODES: readonly ItemKind[] = ['review', 'mention'];
/** Code 0: not analysed yet. */
export const SENTIMENT_CODES: ReadonlyArray<SentimentLabel | null> = [null, 'negative', 'neutral', 'positive', 'unknown'];

/**
 * The response-time facts of one business's items whose clock starts in one month
 * (UTC), kept column by column in typed arrays, strings as small codes: a million
 * items take a few tens of MB and are scanned in milliseconds. Instants are ms since
 * the epoch; NaN: never happened.
 */
export interface FactChunk {
  businessId: string;
  month: string;
  size: number;
  cohortMs: Float64Array;
  firstResponseMs: Float64Array;
  resolvedMs: Float64Array;
  /** 0: unrated. */
  rating: Uint8Array;
  flagged: Uint8Array;
  /** Index into KIND_CODES. */
  kind: Uint8Array;
  /** Index into SENTIMENT_CODES. */
  sentiment: Uint8Array;
  /** Index into `sourceTypes`. */
  sourceType: Uint8Array;
  sourceTypes: string[];
  /** Index into `responders`: 'platform', who answered in Earshot, or null (unanswered). */
  responder: Uint16Array;
  responders: Array<string | null>;
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

function pack(list: readonly ResponseFactRow[]): FactChunk {
  const size = list.length;
  const chunk: FactChunk = {
    businessId: list[0]!.business_id,
    month: list[0]!.cohort_month,
    size,
    cohortMs: new Float64Array(size),
    firstResponseMs: new Float64Array(size),
    resolvedMs: new Float64Array(size),
    rating: new Uint8Array(size),
    flagged: new Uint8Array(size),
    kind: new Uint8Array(size),
    sentiment: new Uint8Array(size),
    sourceType: new Uint8Array(size),
    sourceTypes: [],
    responder: new Uint16Array(size),
    responders: [],
  };
  const sourceTypeCode = coder(chunk.sourceTypes);
  const responderCode = coder(chunk.responders);
  list.forEach((row, i) => {
    chunk.cohortMs[i] = row.cohort_ms;
    chunk.firstResponseMs[i] = row.first_response_ms ?? Number.NaN;
    chunk.resolvedMs[i] = row.resolved_ms ?? Number.NaN;
    chunk.rating[i] = row.rating ?? 0;
    chunk.flagged[i] = row.flagged ? 1 : 0;
    chunk.kind[i] = KIND_CODES.indexOf(row.kind);
    chunk.sentiment[i] = SENTIMENT_CODES.indexOf(row.sentiment_label);
    chunk.sourceType[i] = sourceTypeCode(row.source_type);
    chunk.responder[i] = responderCode(row.responder);
  });
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
