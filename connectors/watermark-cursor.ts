import type { NormalizedItem, Page } from './contract.ts';
import { isRecord } from './payload-shape.ts';
import { readSeenVersions, rememberVersions, unreportedItems, type SeenVersions } from './seen-versions.ts';

/**
 * The cursor most connectors keep: `{ since, seen }`. `since` is the newest platform
 * time (creation or update, UTC ISO 8601) a poll has read, null until one has;
 * `seen` which version of which item was already reported (seen-versions.ts).
 * Each poll reads newest first down to a little before `since`, because platforms
 * index slightly out of order; what that overlap re-reads is filtered with `seen`.
 */
export interface WatermarkCursor {
  since: string | null;
  seen: SeenVersions;
}

const OVERLAP_MS = 10 * 60_000;

export function readCursor(cursor: unknown): { since: Date | null; seen: SeenVersions } {
  if (!isRecord(cursor)) return { since: null, seen: {} };
  const since = typeof cursor.since === 'string' ? new Date(cursor.since) : null;
  return { since: since !== null && !Number.isNaN(since.getTime()) ? since : null, seen: readSeenVersions(cursor.seen) };
}

/** Where reading may stop: a little before the watermark, or null (nowhere) on a first poll. */
export function readBackTo(watermark: Date | null): Date | null {
  return watermark === null ? null : new Date(watermark.getTime() - OVERLAP_MS);
}

/** For searches that need a start: a little before the watermark, or `firstLookbackMs` before now on a first poll. */
export function searchSince(watermark: Date | null, now: Date, firstLookbackMs: number): Date {
  return readBackTo(watermark) ?? new Date(now.getTime() - firstLookbackMs);
}

/** Never moves back, and never past `now`: a clock far ahead must not make later polls skip items. */
export function advanceWatermark(watermark: Date | null, times: ReadonlyArray<Date | null>, now: Date): Date | null {
  let newest = watermark;
  for (const at of times) if (at !== null && (newest === null || at > newest)) newest = at;
  return newest !== null && newest > now ? now : newest;
}

export function cursorValue(since: Date | null, seen: SeenVersions): WatermarkCursor {
  return { since: since === null ? null : since.toISOString(), seen };
}

/**
 * A poll's pages, from batches of platform records read newest first. Each batch's
 * items are reported only when new or changed since `seen`. Pages are handed on one
 * step late: only the last one carries the advanced watermark, because a crash after an
 * early page must not make the next poll skip the pages after it. The last page is
 * always handed on, empty if nothing was new, so the cursor advances.
 */
export async function* pagesOneStepLate<T>(
  batches: AsyncIterable<T[]>,
  read: { itemsOf(batch: T[]): NormalizedItem[]; timeOf(record: T): Date | null },
  previous: { since: Date | null; seen: SeenVersions },
  now: () => Date,
  cursorOf: (since: Date | null, seen: SeenVersions) => unknown = cursorValue,
  /** What the last cursor records when no record was read at all (a first poll that found nothing). */
  sinceWhenEmpty: Date | null = null,
): AsyncGenerator<Page> {
  let seen = previous.seen;
  let newest = previous.since;
  let held: NormalizedItem[] | null = null;
  for await (const batch of batches) {
    if (held !== null) yield { items: held, cursor: cursorOf(previous.since, seen) };
    newest = advanceWatermark(newest, batch.map(read.timeOf), now());
    const items = read.itemsOf(batch);
    held = unreportedItems(items, seen);
    seen = rememberVersions(seen, items);
  }
  yield { items: held ?? [], cursor: cursorOf(newest ?? sinceWhenEmpty, seen) };
}
