/**
 * Yelp's `time_created` is "YYYY-MM-DD HH:MM:SS" without a zone. Yelp documents
 * these times as Pacific time (where Yelp is based), whatever the business's own
 * zone, so they are read in America/Los_Angeles with its daylight-saving rules, by
 * Earshot's one zone module and its one rule: in the hour repeated when clocks go
 * back, the later (standard-time) instant, as PostgreSQL reads it; a time in the hour
 * skipped when clocks go forward is read with the offset before the change.
 */
import { wallTimeToInstant } from '../../services/response-times/zone-offset.ts';

const ZONE = 'America/Los_Angeles';
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** The UTC instant of a Pacific wall-clock time, or null if `value` is not one. */
export function pacificTimeToUtc(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = LOCAL_TIME.exec(value.trim());
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return new Date(wallTimeToInstant(ZONE, asUtc));
}
