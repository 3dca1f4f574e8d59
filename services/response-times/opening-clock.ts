import { WEEKDAYS, type OpeningHours } from './opening-hours.ts';
import { wallTimeToInstant, zoneOffsetMs } from './zone-offset.ts';

const DAY_MS = 86_400_000;
/** Extra local days built on either side of what was asked for, so a clock is rebuilt rarely. */
const MARGIN_DAYS = 62;

/** Milliseconds between two instants that fall inside a business's opening hours. */
export interface OpeningClock {
  openMsBetween(t0: number, t1: number): number;
}

class CalendarClock implements OpeningClock {
  openMsBetween(t0: number, t1: number): number {
    return Math.max(0, t1 - t0);
  }
}

/** Every second counts: what a business without opening hours, or a calendar-time report, uses. */
export const CALENDAR_CLOCK: OpeningClock = new CalendarClock();

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
 * totals, so any span costs two binary searches. (A class, not closures: every clock
 * shares one method, which keeps the report's hot loop free of deoptimisations.)
 */
class HoursClock implements OpeningClock {
  private firstDay = 0;
  private lastDay = -1;
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** Open ms in all earlier intervals. */
  private before = new Float64Array(0);
  private readonly timeZone: string;
  private readonly perWeekday: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

  constructor(timeZone: string, hours: OpeningHours) {
    this.timeZone = timeZone;
    this.perWeekday = WEEKDAYS.map((day) => (hours[day] ?? []).map((span) => [clockMs(span.open), clockMs(span.close)] as const));
  }

  openMsBetween(t0: number, t1: number): number {
    if (t1 <= t0) return 0;
    // Zones are at most 14 h ahead of UTC and 12 h behind: instants in this range are
    // surely inside the local days built, checked without asking the zone database.
    if (t0 < this.firstDay * DAY_MS + 12 * 3_600_000 || t1 > (this.lastDay + 1) * DAY_MS - 14 * 3_600_000) this.cover(t0, t1);
    return this.openUpTo(t1) - this.openUpTo(t0);
  }

  private localDay(instant: number): number {
    return Math.floor((instant + zoneOffsetMs(this.timeZone, instant)) / DAY_MS);
  }

  private cover(t0: number, t1: number): void {
    const day0 = this.localDay(t0) - 1;
    const day1 = this.localDay(t1) + 1;
    if (day0 >= this.firstDay && day1 <= this.lastDay) return;
    const built = this.lastDay >= this.firstDay;
    this.build(Math.min(day0 - MARGIN_DAYS, built ? this.firstDay : Infinity), Math.max(day1 + MARGIN_DAYS, built ? this.lastDay : -Infinity));
  }

  private build(from: number, to: number): void {
    const s: number[] = [];
    const e: number[] = [];
    for (let day = from; day <= to; day++) {
      for (const [open, close] of this.perWeekday[weekdayOf(day)]!) {
        s.push(wallTimeToInstant(this.timeZone, day * DAY_MS + open));
        e.push(wallTimeToInstant(this.timeZone, day * DAY_MS + close));
      }
    }
    this.starts = Float64Array.from(s);
    this.ends = Float64Array.from(e);
    this.before = new Float64Array(s.length);
    for (let i = 1; i < s.length; i++) this.before[i] = this.before[i - 1]! + (e[i - 1]! - s[i - 1]!);
    this.firstDay = from;
    this.lastDay = to;
  }

  /** Open ms from the first built interval up to t. */
  private openUpTo(t: number): number {
    const starts = this.starts;
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
    return this.before[found]! + Math.min(t, this.ends[found]!) - starts[found]!;
  }
}

/** The clock for a business's opening hours in its zone; no hours set: every second counts. */
export function openingClock(timeZone: string, hours: OpeningHours | null): OpeningClock {
  return hours === null ? CALENDAR_CLOCK : new HoursClock(timeZone, hours);
}

/**
 * Clocks by zone and hours, each built once and kept: building one asks the zone
 * database about every open interval, and a chunk keeps its opening-hours durations
 * for as long as it is asked with the same clock. One per facts cache.
 */
export class OpeningClocks {
  private readonly byId = new Map<string, OpeningClock>();

  of(timeZone: string, hours: OpeningHours | null): OpeningClock {
    if (hours === null) return CALENDAR_CLOCK;
    const id = `${timeZone}|${JSON.stringify(hours)}`;
    let clock = this.byId.get(id);
    if (clock === undefined) this.byId.set(id, (clock = openingClock(timeZone, hours)));
    return clock;
  }
}
