import { WEEKDAYS, type Weekday } from '../../../db/opening-hours-shape.ts';
import type { DigestWeekday } from '../../../db/schema.ts';
import type { DigestCadence, DigestSchedule } from './digest-schedule.ts';

/**
 * A business's digest settings as a schedule (digest-schedule.ts). The weekday is stored
 * and shown spelled out ('monday'), as owners and the API write it; the schedule counts
 * days as the opening hours do ('mon'), both from Monday.
 */

/** The days a weekly digest (and the weekly report) may go out on, Monday first. */
export const DIGEST_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const satisfies readonly DigestWeekday[];

/** What a business says about when its digests go out. */
export interface DigestSettings {
  timeZone: string;
  /** "HH:MM" local. */
  digestTime: string;
  digestWeekday: DigestWeekday;
}

export function businessDigestSchedule(business: DigestSettings, cadence: DigestCadence): DigestSchedule {
  const at = business.digestTime;
  if (cadence === 'daily') return { cadence, at, timeZone: business.timeZone };
  return { cadence, weekday: WEEKDAYS[DIGEST_WEEKDAYS.indexOf(business.digestWeekday)] as Weekday, at, timeZone: business.timeZone };
}
