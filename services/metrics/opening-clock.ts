import { WEEKDAYS, type OpeningHours } from './opening-hours.ts';
import { wallTimeToInstant, zoneOffsetMs } from './zone-offset.ts';

const DAY_MS = 86_400_000;
/** Extra local days built on either side of what was asked for, so a clock is rebuilt rarely. */
const MARGIN_DAYS = 62;

/** Milliseconds between two instants that fall inside a business's opening hours. */
export interface OpeningClock {
  openMsBetween(t0: number, t1: number): number;
}

/** Every second counts: what a business without opening hours, or a calendar-time report, uses. */
export const CALENDAR_CLOCK: OpeningClock = { openMsBetween: (t0, t1) => Math.max(0, t1 - t0) };

function clockMs(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return (hours * 60 + minutes) * 60_000;
}

/** Monday 0 … Sunday 6, for a local day counted from 1970-01-01 (a Thursday). */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/**
 * Opening hours read on the business's own wall clock: each local day's intervals
 * become instants through the zone database, so a 23- or 25-hour day (a DST change)
 * counts what the clock on the wall showed. The intervals are kept with running
 * totals, so any span costs two binary searches. No hours set: every second counts.
 */
export function openingClock(timeZone: string, hours: OpeningHours | null): OpeningClock {
  if (hours === null) return CALENDAR_CLOCK;
  const perWeekday = WEEKDAYS.map((day) => (hours[day] ?? []).map((span) => [clockMs(span.open), clockMs(span.close)] as const));
  let firstDay = 0;
  let lastDay = -1;
  let starts = new Float64Array(0);
  let ends = new Float64Array(0);
  let before = new Float64Array(0); // open ms in all earlier intervals

  const localDay = (instant: number) => Math.floor((instant + zoneOffsetMs(timeZone, instant)) / DAY_MS);

  function build(from: number, to: number): void {
    const s: number[] = [];
    const e: number[] = [];
    for (let day = from; day <= to; day++) {
      for (const [open, close] of perWeekday[weekdayOf(day)]!) {
        s.push(wallTimeToInstant(timeZone, day * DAY_MS + open));
        e.push(wallTimeToInstant(timeZone, day * DAY_MS + close));
      }
    }
    starts = Float64Array.from(s);
    ends = Float64Array.from(e);
    before = new Float64Array(s.length);
    for (let i = 1; i < s.length; i++) before[i] = before[i - 1]! + (e[i - 1]! - s[i - 1]!);
    firstDay = from;
    lastDay = to;
  }

  // Zones are at most 14 h ahead of UTC and 12 h behind: instants in this range are
  // surely inside the local days built, checked without asking the zone database.
  const isBuilt = (t0: number, t1: number) => t0 >= firstDay * DAY_MS + 12 * 3_600_000 && t1 <= (lastDay + 1) * DAY_MS - 14 * 3_600_000;

  function cover(t0: number, t1: number): void {
    if (isBuilt(t0, t1)) return;
    const day0 = localDay(t0) - 1;
    const day1 = localDay(t1) + 1;
    if (day0 >= firstDay && day1 <= lastDay) return;
    build(Math.min(day0 - MARGIN_DAYS, lastDay < firstDay ? Infinity : firstDay), Math.max(day1 + MARGIN_DAYS, lastDay));
  }

  /** Open ms from the first built interval up to t. */
  function openUpTo(t: number): number {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return 0;
    return before[found]! + Math.min(t, ends[found]!) - starts[found]!;
  }

  return {
    openMsBetween(t0, t1) {
      if (t1 <= t0) return 0;
      cover(t0, t1);
      return openUpTo(t1) - openUpTo(t0);
    },
  };
}
