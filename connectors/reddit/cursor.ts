import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The Reddit cursor `{ since, seen }`: `since` is the creation time of the newest
 * post or comment read (ISO 8601); `seen` what was reported, and in which version
 * (connectors/seen-versions.ts). Each poll reads every listing back to ten minutes
 * before `since`; a fullname anchor (`before=`) is never kept, as a deleted anchor
 * would hide everything newer.
 */
export interface RedditCursor {
  since: string | null;
  seen: SeenVersions;
}

const OVERLAP_MS = 10 * 60_000;
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

export function readCursor(cursor: unknown): { since: Date | null; seen: SeenVersions } {
  if (!isRecord(cursor)) return { since: null, seen: {} };
  const since = typeof cursor.since === 'string' ? new Date(cursor.since) : null;
  return { since: since !== null && !Number.isNaN(since.getTime()) ? since : null, seen: readSeenVersions(cursor.seen) };
}

export function readSince(watermark: Date | null, now: Date): Date {
  return watermark === null ? new Date(now.getTime() - FIRST_POLL_LOOKBACK_MS) : new Date(watermark.getTime() - OVERLAP_MS);
}

export function cursorValue(since: Date | null, seen: SeenVersions): RedditCursor {
  return { since: since === null ? null : since.toISOString(), seen };
}
