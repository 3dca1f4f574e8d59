import { isRecord } from '../payload-shape.ts';

/**
 * The Bluesky cursor `{ since }`: the newest time a poll has seen. Each poll
 * searches from a little before it, because posts are indexed slightly out of
 * order; what is read twice is deduped by the core.
 */
export interface BlueskyCursor {
  since: string;
}

const OVERLAP_MS = 10 * 60_000;
// A new source looks back one day rather than through the platform's whole history.
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

export function readWatermark(cursor: unknown): Date | null {
  if (!isRecord(cursor) || typeof cursor.since !== 'string') return null;
  const since = new Date(cursor.since);
  return Number.isNaN(since.getTime()) ? null : since;
}

export function searchSince(watermark: Date | null, now: Date): Date {
  return watermark === null ? new Date(now.getTime() - FIRST_POLL_LOOKBACK_MS) : new Date(watermark.getTime() - OVERLAP_MS);
}

/** Never moves back, and never past `now`: a clock far ahead must not make later polls skip posts. */
export function advanceWatermark(watermark: Date | null, seenAt: ReadonlyArray<Date | null>, now: Date): Date | null {
  let newest = watermark;
  for (const at of seenAt) {
    if (at !== null && (newest === null || at > newest)) newest = at;
  }
  return newest !== null && newest > now ? now : newest;
}

export function watermarkCursor(watermark: Date | null): BlueskyCursor | null {
  return watermark === null ? null : { since: watermark.toISOString() };
}
