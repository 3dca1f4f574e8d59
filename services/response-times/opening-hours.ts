import { WEEKDAYS, type OpeningHours } from '../../db/opening-hours-shape.ts';

// The shape lives beside the table that stores it; the rules about it live here.
export { WEEKDAYS, type OpeningHours } from '../../db/opening-hours-shape.ts';

/** One problem with submitted opening hours: where, and what. */
export interface OpeningHoursProblem {
  /** Relative to the opening-hours object, e.g. `mon[1].close`. */
  path: string;
  message: string;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The first problem found, or null when the hours are valid. Shape is checked by the route schema. */
export function openingHoursProblem(hours: OpeningHours): OpeningHoursProblem | null {
  for (const day of WEEKDAYS) {
    const intervals = hours[day] ?? [];
    for (const [index, interval] of intervals.entries()) {
      for (const end of ['open', 'close'] as const) {
        if (!CLOCK.test(interval[end])) {
          return { path: `${day}[${index}].${end}`, message: `must be a time "HH:MM" between 00:00 and 24:00, got "${interval[end]}"` };
        }
      }
      if (minutesOf(interval.open) >= minutesOf(interval.close)) {
        return { path: `${day}[${index}]`, message: 'open must be before close on the same day; split overnight hours over two days' };
      }
    }
    const sorted = [...intervals].sort((a, b) => minutesOf(a.open) - minutesOf(b.open));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i]!.open) < minutesOf(sorted[i - 1]!.close)) {
        return { path: day, message: 'intervals of one day must not overlap' };
      }
    }
  }
  return null;
}

/** Sorted by opening time, days in week order: what is stored and shown. */
export function normalizeOpeningHours(hours: OpeningHours): OpeningHours {
  const normalized: OpeningHours = {};
  for (const day of WEEKDAYS) {
    const intervals = hours[day];
    if (intervals === undefined) continue;
    normalized[day] = [...intervals].sort((a, b) => minutesOf(a.open) - minutesOf(b.open)).map(({ open, close }) => ({ open, close }));
  }
  return normalized;
}
