import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Business Profile cursor `{ since, seen }`: `since` is the newest `updateTime`
 * (UTC, ISO 8601) a poll has read, null until one has; `seen` which version (text,
 * stars, update time, reply) of which review was already reported
 * (connectors/seen-versions.ts). Google lists reviews by update time, newest first,
 * so each poll reads down to a little before `since`, which catches new reviews,
 * edits and (when they touch the review) replies; the overlap is filtered with `seen`.
 */
export interface GoogleBusinessCursor {
  since: string | null;
  seen: SeenVersions;
}

const OVERLAP_MS = 10 * 60_000;

export function readCursor(cursor: unknown): { since: Date | null; seen: SeenVersions } {
  if (!isRecord(cursor)) return { since: null, seen: readSeenVersions(null) };
  const since = typeof cursor.since === 'string' ? new Date(cursor.since) : null;
  return { since: since !== null && !Number.isNaN(since.getTime()) ? since : null, seen: readSeenVersions(cursor.seen) };
}

/** Where reading may stop: a little before the watermark, or null on a first poll. */
export function readBackTo(watermark: Date | null): Date | null {
  return watermark === null ? null : new Date(watermark.getTime() - OVERLAP_MS);
}

/** Never moves back, and never past `now`: a clock far ahead must not make later polls skip reviews. */
export function advanceWatermark(watermark: Date | null, times: ReadonlyArray<Date | null>, now: Date): Date | null {
  let newest = watermark;
  for (const at of times) if (at !== null && (newest === null || at > newest)) newest = at;
  return newest !== null && newest > now ? now : newest;
}

export function cursorValue(since: Date | null, seen: SeenVersions): GoogleBusinessCursor {
  return { since: since === null ? null : since.toISOString(), seen };
}
