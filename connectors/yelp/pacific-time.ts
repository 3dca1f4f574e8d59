/**
 * Yelp's `time_created` is "YYYY-MM-DD HH:MM:SS" without a zone. Yelp documents
 * these times as Pacific time (where Yelp is based), whatever the business's own
 * zone, so they are read in America/Los_Angeles with its daylight-saving rules.
 * In the hour repeated when clocks go back, the earlier (daylight) reading is taken;
 * a time in the hour skipped when clocks go forward is read as standard time.
 */

const ZONE = 'America/Los_Angeles';
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Pacific wall-clock time is ahead of UTC at `utcMs` (negative: -7 h or -8 h). */
function offsetMs(utcMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of parts.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return wallClock - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of a Pacific wall-clock time, or null if `value` is not one. */
export function pacificTimeToUtc(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = LOCAL_TIME.exec(value.trim());
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  // Both offsets the zone could have around that wall-clock time; the earlier instant that reads back as it wins.
  const candidates = [...new Set([offsetMs(asUtc - 12 * 3600_000), offsetMs(asUtc + 12 * 3600_000)])]
    .map((offset) => asUtc - offset)
    .sort((a, b) => a - b);
  const exact = candidates.find((instant) => instant + offsetMs(instant) === asUtc);
  return new Date(exact ?? candidates.at(-1)!);
}
