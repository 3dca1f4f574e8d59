import type { Weekday } from '../../../db/opening-hours-shape.ts';
import { addDays, instantAt, isoDate, localDayOf, minutesOfClock, weekdayOf } from './local-clock.ts';

/**
 * When digests are sent: every day, or every week on one weekday, at a local time the owner
 * picks in the business's time zone. Pure: `now` is always passed in, so the scheduler's
 * clock (and a test's) decides what "now" is.
 *
 * A digest covers one period: from the previous send time (included) to its own send time
 * (excluded), and is due at that send time. Periods follow each other without gap or
 * overlap, so every item falls in exactly one digest, and each period has a key (its send
 * day, local) that the outbox can make unique: one digest per period, even across restarts.
 *
 * Clock changes, by the one rule of services/response-times/zone-offset.ts:
 * - a send time skipped when clocks go forward (02:30 on a spring-forward night) is sent
 *   an hour later on the new clock (03:30) — that day still gets its digest;
 * - a send time repeated when clocks go back is sent once, at its later instant;
 * - a day's period is then 23 or 25 hours long, never skipped, never doubled.
 */

export type DigestSchedule =
  | { cadence: 'daily'; at: string; timeZone: string }
  | { cadence: 'weekly'; weekday: Weekday; at: string; timeZone: string };

export type DigestCadence = DigestSchedule['cadence'];

export interface DigestPeriod {
  /** The previous send time: items from this instant on belong to the digest. */
  start: Date;
  /** The send time: the digest is due at this instant and covers items before it. */
  end: Date;
  /**
   * `daily:2026-03-29` or `weekly:2026-03-29`: the cadence and the local day of the send
   * time, the same for every worker and every restart. Changing the time of day within a
   * day keeps the key, so a digest already sent that day is not sent again.
   */
  key: string;
}

interface SendTime {
  at: number;
  day: string;
}

// Days of send times looked at around `now`: enough to find the send times on either
// side of it and the one before, with a day to spare for zones that once skipped a day.
const DAYS_AROUND: Record<DigestCadence, { before: number; after: number }> = {
  daily: { before: 3, after: 2 },
  weekly: { before: 15, after: 8 },
};

/** The period `now` is in: start ≤ now < end. Its digest is due at `end`. */
export function currentDigestPeriod(schedule: DigestSchedule, now: Date): DigestPeriod {
  const times = sendTimesAround(schedule, now);
  const next = times.findIndex((time) => time.at > now.getTime());
  return periodEndingAt(schedule, times, next);
}

/** When the next digest is due: the end of the current period, always after `now`. */
export function nextDigestDue(schedule: DigestSchedule, now: Date): Date {
  return currentDigestPeriod(schedule, now).end;
}

/**
 * The newest period that has ended by `now` (end ≤ now): the digest that should have been
 * sent. A scheduler that wakes late, or after a restart, sends this one if its key has
 * not been sent yet, and never an older one twice.
 */
export function lastEndedDigestPeriod(schedule: DigestSchedule, now: Date): DigestPeriod {
  const times = sendTimesAround(schedule, now);
  const next = times.findIndex((time) => time.at > now.getTime());
  return periodEndingAt(schedule, times, next - 1);
}

function periodEndingAt(schedule: DigestSchedule, times: readonly SendTime[], index: number): DigestPeriod {
  const end = times[index];
  const start = times[index - 1];
  // Unreachable by construction: the send times around `now` always bracket it with room to spare.
  if (end === undefined || start === undefined) throw new Error(`no ${schedule.cadence} send time around the given instant`);
  return { start: new Date(start.at), end: new Date(end.at), key: `${schedule.cadence}:${end.day}` };
}

/** Send times on the days around `now`, in time order, each instant once. */
function sendTimesAround(schedule: DigestSchedule, now: Date): SendTime[] {
  const minutes = minutesOfClock(schedule.at);
  const today = localDayOf(schedule.timeZone, now.getTime());
  const { before, after } = DAYS_AROUND[schedule.cadence];
  const times: SendTime[] = [];
  for (let offset = -before; offset <= after; offset++) {
    const day = addDays(today, offset);
    if (schedule.cadence === 'weekly' && weekdayOf(day) !== schedule.weekday) continue;
    times.push({ at: instantAt(schedule.timeZone, day, minutes), day: isoDate(day) });
  }
  times.sort((a, b) => a.at - b.at);
  // A day a zone skipped whole (Samoa, 30 December 2011) reads as the same instant as the
  // next day: one send time, keyed by the day that happened.
  return times.filter((time, index) => times[index + 1]?.at !== time.at);
}
