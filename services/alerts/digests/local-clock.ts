import { WEEKDAYS, type Weekday } from '../../../db/opening-hours-shape.ts';
import { wallTimeToInstant, zoneOffsetMs } from '../../response-times/zone-offset.ts';

/**
 * "08:00 in the business's time zone, every day": the local days and times digests and
 * quiet hours are set in, turned into instants. The time-zone maths itself, and its one
 * rule for times a clock change skips or repeats, is services/response-times/zone-offset.ts;
 * this file only counts days and minutes on the wall clock.
 *
 * Quiet hours (services/alerts/quiet-hours.ts) use it too: both read "HH:MM" the owner
 * picked in the business's zone.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A local calendar day in a zone: its midnight written as if it were UTC, as zone-offset.ts takes wall times. */
export interface LocalDay {
  wallMidnightMs: number;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why `value` is not a time of day "HH:MM" (00:00 to 23:59), or null when it is one. */
export function clockProblem(value: string): string | null {
  return CLOCK.test(value) ? null : `must be a time "HH:MM" between 00:00 and 23:59, got "${value}"`;
}

/** Minutes after local midnight of a time "HH:MM"; throws RangeError naming the problem. */
export function minutesOfClock(value: string): number {
  const match = CLOCK.exec(value);
  if (match === null) throw new RangeError(clockProblem(value) ?? value);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The local day an instant falls on in the zone. */
export function localDayOf(timeZone: string, instantMs: number): LocalDay {
  const wallMs = instantMs + zoneOffsetMs(timeZone, instantMs);
  return { wallMidnightMs: Math.floor(wallMs / DAY_MS) * DAY_MS };
}

/** The day `count` days after (or before, when negative) `day` on the calendar. */
export function addDays(day: LocalDay, count: number): LocalDay {
  return { wallMidnightMs: day.wallMidnightMs + count * DAY_MS };
}

export function weekdayOf(day: LocalDay): Weekday {
  // getUTCDay counts from Sunday; WEEKDAYS from Monday.
  return WEEKDAYS[(new Date(day.wallMidnightMs).getUTCDay() + 6) % 7] as Weekday;
}

/** "2026-03-29": the day as owners and keys write it. */
export function isoDate(day: LocalDay): string {
  return new Date(day.wallMidnightMs).toISOString().slice(0, 10);
}

/**
 * The instant `minutes` after midnight happens on `day` in the zone, by the one rule of
 * zone-offset.ts: a time skipped by a spring-forward change lands an hour later on the new
 * clock (02:30 → 03:30); a time repeated by an autumn change is its later instant.
 */
export function instantAt(timeZone: string, day: LocalDay, minutes: number): number {
  return wallTimeToInstant(timeZone, day.wallMidnightMs + minutes * MINUTE_MS);
}
