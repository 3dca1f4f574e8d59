import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Bluesky cursor `{ since, seen }`: `since` is the newest time a poll has seen
 * (null until a poll has seen a post). Each poll searches from a little before it,
 * because posts are indexed slightly out of order; `seen` remembers the mentions
 * already reported, so what the overlap reads again is not reported twice.
 */
export interface BlueskyCursor {
  since: string | null;
  seen: SeenVersions;
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

/** A cursor from before `seen` existed reads as an empty memory: its overlap is reported once more, deduped by the core. */
export function readSeen(cursor: unknown): SeenVersions {
  return readSeenVersions(isRecord(cursor) ? cursor.seen : null);
}

export function blueskyCursor(watermark: Date | null, seen: SeenVersions): BlueskyCursor {
  return { since: watermark === null ? null : watermark.toISOString(), seen };
}
