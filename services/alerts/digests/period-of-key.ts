import type { DigestSchedule } from './digest-schedule.ts';
import { addDays, instantAt, minutesOfClock, type LocalDay } from './local-clock.ts';

const KEY = /^(daily|weekly):(\d{4}-\d{2}-\d{2})$/;

/**
 * The period a digest covers, read back from its key (`daily:2026-03-29`: the cadence and
 * the local day of its send time, digest-schedule.ts) when it is rendered: from the send
 * time one day (a week) before that day to the send time on that day, at the business's
 * time as it is now — the period the schedule gave when the digest was gathered, by the
 * same rule for clock changes (a 23- or 25-hour day stays one day). Throws RangeError for
 * a key that is not a digest period's.
 */
export function digestPeriodOfKey(schedule: DigestSchedule, key: string): { start: Date; end: Date } {
  const match = KEY.exec(key);
  if (match === null || match[1] !== schedule.cadence) throw new RangeError(`"${key}" is not the key of a ${schedule.cadence} digest`);
  const sendDay: LocalDay = { wallMidnightMs: Date.parse(`${match[2]}T00:00:00Z`) };
  const minutes = minutesOfClock(schedule.at);
  const days = schedule.cadence === 'daily' ? 1 : 7;
  return {
    start: new Date(instantAt(schedule.timeZone, addDays(sendDay, -days), minutes)),
    end: new Date(instantAt(schedule.timeZone, sendDay, minutes)),
  };
}
