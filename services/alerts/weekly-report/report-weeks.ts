import { lastEndedDigestPeriod, type DigestPeriod } from '../digests/digest-schedule.ts';
import { instantAt, minutesOfClock, weekdayOf, type LocalDay } from '../digests/local-clock.ts';

/** Weeks the report's chart shows: the report's own and the eleven before it. */
export const REPORT_WEEKS = 12;

const WEEKLY_KEY = /^weekly:(\d{4}-\d{2}-\d{2})$/;

/**
 * The weeks a weekly report is about, oldest first, the last being the report's own: the
 * period its key names (`weekly:2026-03-30`, the local day it was due) and the ones before,
 * by the digest schedule's rules, so a week across a clock change is 167 or 169 hours and
 * weeks never overlap or leave a gap. The key pins the day; the time of day is the
 * business's setting now (a time changed since the report was due moves the bounds with it).
 * Pure: the key and the settings say everything.
 */
export function reportWeeks(key: string, settings: { at: string; timeZone: string }, count = REPORT_WEEKS): DigestPeriod[] {
  const match = WEEKLY_KEY.exec(key);
  if (match === null) throw new RangeError(`not a weekly period key: "${key}"`);
  const day: LocalDay = { wallMidnightMs: Date.parse(`${match[1]}T00:00:00Z`) };
  const schedule = { cadence: 'weekly', weekday: weekdayOf(day), at: settings.at, timeZone: settings.timeZone } as const;
  const due = new Date(instantAt(settings.timeZone, day, minutesOfClock(settings.at)));
  // The period that ended at `due` is the one `due` names: a period's end belongs to the one it ends.
  const weeks = [lastEndedDigestPeriod(schedule, due)];
  while (weeks.length < count) weeks.unshift(lastEndedDigestPeriod(schedule, weeks[0]!.start));
  return weeks;
}
