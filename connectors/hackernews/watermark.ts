import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Hacker News cursor `{ since, seen }`: `since` is the creation time of the
 * newest hit any poll has read (ISO 8601); `seen` the stories and comments already
 * reported (connectors/seen-versions.ts). Each poll searches from a little before
 * `since`, because Algolia indexes a few minutes late; what that overlap re-reads
 * is filtered out with `seen`.
 */
export interface HackerNewsCursor {
  since: string | null;
  seen: SeenVersions;
}

const OVERLAP_MS = 10 * 60_000;
// A new source looks back one day rather than through the site's whole history.
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

export function readCursor(cursor: unknown): { since: Date | null; seen: SeenVersions } {
  if (!isRecord(cursor)) return { since: null, seen: {} };
  const since = typeof cursor.since === 'string' ? new Date(cursor.since) : null;
  return { since: since !== null && !Number.isNaN(since.getTime()) ? since : null, seen: readSeenVersions(cursor.seen) };
}

export function searchSince(watermark: Date | null, now: Date): Date {
  return watermark === null ? new Date(now.getTime() - FIRST_POLL_LOOKBACK_MS) : new Date(watermark.getTime() - OVERLAP_MS);
}

/** Never moves back, and never past `now`: a clock far ahead must not make later polls skip hits. */
export function advanceWatermark(watermark: Date | null, seenAt: readonly Date[], now: Date): Date | null {
  let newest = watermark;
  for (const at of seenAt) if (newest === null || at > newest) newest = at;
  return newest !== null && newest > now ? now : newest;
}

export function cursorValue(since: Date | null, seen: SeenVersions): HackerNewsCursor {
  return { since: since === null ? null : since.toISOString(), seen };
}
