/**
 * Converting between instants and a time zone's wall clock, with the zone database
 * built into Node (Intl). Used to turn opening hours ("09:00 in Europe/Paris") into
 * instants, one day at a time.
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
 * The instant a wall-clock time (given as if it were UTC, in ms) happens in the zone.
 * Like PostgreSQL's `timestamp AT TIME ZONE`: a time skipped by a spring-forward
 * change takes the offset in force before it, a time that happens twice in an
 * autumn change takes the offset in force after it.
 */
export function wallTimeToInstant(timeZone: string, wallMs: number): number {
  const before = zoneOffsetMs(timeZone, wallMs - AROUND_MS);
  const after = zoneOffsetMs(timeZone, wallMs + AROUND_MS);
  return zoneOffsetMs(timeZone, wallMs - after) === after ? wallMs - after : wallMs - before;
}
