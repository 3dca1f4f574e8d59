/**
 * Converting between instants and a time zone's wall clock, with the zone database
 * built into Node (Intl): the one place Earshot does time-zone maths. Opening hours
 * ("09:00 in Europe/Paris") become instants here, one day at a time, and Yelp's
 * Pacific-time review dates are read here.
 *
 * Why here: it imports nothing, and no folder sits below both connectors/ and
 * services/ for such a module to live in; connectors already import pure helpers from
 * services/ (the webhook connector reads dates with services/api/api-date.ts), so the
 * Yelp connector imports this file rather than keeping a second copy of the maths.
 *
 * The rule for wall-clock times a change makes odd:
 * - a time skipped when clocks go forward (02:30 on a spring-forward night) is read
 *   with the offset in force before the change, so it lands an hour later on the new
 *   clock (03:30): PostgreSQL's `AT TIME ZONE` and Temporal's 'compatible' agree;
 * - a time that happens twice when clocks go back is read with the offset
 *   in force after the change — the later instant, as PostgreSQL does — because
 *   business-hours figures must equal the SQL function `open_seconds_between`, which
 *   uses `AT TIME ZONE`. Every caller, Yelp's dates included, gets this one reading.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in ms (Paris in summer: +7,200,000). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instantMs / 1000) * 1000;
}

const AROUND_MS = 26 * 3_600_000;

/**
 * The instant a wall-clock time (given as if it were UTC, in ms) happens in the zone,
 * by the rule in this file's header: a skipped time takes the offset before the change;
 * a repeated time the later instant.
 */
export function wallTimeToInstant(timeZone: string, wallMs: number): number {
  const before = zoneOffsetMs(timeZone, wallMs - AROUND_MS);
  const after = zoneOffsetMs(timeZone, wallMs + AROUND_MS);
  if (before === after) return wallMs - before;
  // A repeated time reads back with both offsets, a skipped one with neither: the offset
  // after the change wins whenever it reads back, which is always the later instant.
  return zoneOffsetMs(timeZone, wallMs - after) === after ? wallMs - after : wallMs - before;
}
