/**
 * The one date rule for everything a client sends: an RFC 3339 date-time
 * (`2026-03-01T09:30:00Z`, `2026-03-01T10:30:00.250+01:00`; seconds may be left out)
 * or a plain date (`2026-03-01`, midnight UTC).
 *
 * Impossible dates are refused instead of rolled over: 2026-02-30, month 13,
 * hour 24, and the leap second :60, which no database or clock here can store.
 * Years run from 0001 to 9999, the range PostgreSQL and every client agree on.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export const API_DATE_DESCRIPTION = 'an RFC 3339 date-time (e.g. 2026-03-01T09:30:00Z) or a date (2026-03-01, midnight UTC)';

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function utcInstant(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): Date {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date;
}

function validDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The instant `text` names, or undefined when it is not a date this API accepts. */
export function parseApiDate(text: string): Date | undefined {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly !== null) {
    const [year, month, day] = dateOnly.slice(1, 4).map(Number) as [number, number, number];
    return validDay(year, month, day) ? utcInstant(year, month, day, 0, 0, 0, 0) : undefined;
  }
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0').slice(0, 3));
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const instant = new Date(utcInstant(year, month, day, hour, minute, second, millis).getTime() - offsetMinutes * 60_000);
  const utcYear = instant.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? instant : undefined;
}
