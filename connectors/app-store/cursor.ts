import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, type SeenVersions } from '../seen-versions.ts';

/**
 * The App Store cursor: `{ storefronts: { us: "2026-03-02T09:00:00.000Z", … }, seen }`.
 * Per storefront, the newest review time a completed poll has read (the watermark);
 * `seen` holds which versions of which reviews were already reported (review ids are
 * global, so one memory serves every storefront).
 */
export interface AppStoreCursor {
  storefronts: Record<string, string>;
  seen: SeenVersions;
}

// Apple's feed is cached and re-sorted a little late; re-read a margin before the watermark.
const OVERLAP_MS = 10 * 60_000;

export function readCursor(cursor: unknown): { watermarks: Map<string, Date>; seen: SeenVersions } {
  const watermarks = new Map<string, Date>();
  if (!isRecord(cursor)) return { watermarks, seen: readSeenVersions(null) };
  if (isRecord(cursor.storefronts)) {
    for (const [country, value] of Object.entries(cursor.storefronts)) {
      const at = typeof value === 'string' ? new Date(value) : null;
      if (at !== null && !Number.isNaN(at.getTime())) watermarks.set(country, at);
    }
  }
  return { watermarks, seen: readSeenVersions(cursor.seen) };
}

/** Where reading a storefront may stop: a little before its watermark, or nowhere on its first poll. */
export function readBackTo(watermark: Date | undefined): Date | null {
  return watermark === undefined ? null : new Date(watermark.getTime() - OVERLAP_MS);
}

/** Never moves back, and never past `now`: a clock far ahead must not make later polls skip reviews. */
export function advanceWatermark(watermark: Date | undefined, times: ReadonlyArray<Date | null>, now: Date): Date | undefined {
  let newest = watermark;
  for (const at of times) if (at !== null && (newest === undefined || at > newest)) newest = at;
  return newest !== undefined && newest > now ? now : newest;
}

export function cursorValue(watermarks: ReadonlyMap<string, Date>, seen: SeenVersions): AppStoreCursor {
  return { storefronts: Object.fromEntries([...watermarks].map(([country, at]) => [country, at.toISOString()])), seen };
}
