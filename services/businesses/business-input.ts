import type { DigestWeekday } from '../../db/schema.ts';
import { DIGEST_WEEKDAYS } from '../alerts/digests/business-schedule.ts';
import { clockProblem } from '../alerts/digests/local-clock.ts';
import { normalizeOpeningHours, openingHoursProblem, type OpeningHours } from '../response-times/opening-hours.ts';

/**
 * The rules a business's settings follow, for creating and changing one, whichever
 * edge they come from (the API, the web app). Each refusal names the setting.
 */

/** A setting refused; `field` is the setting's name as the API spells it (`timezone`, `openingHours.mon[0].close`). */
export class InvalidBusinessSettings extends Error {
  readonly field: string;
  /** What is wrong, to follow the setting's name: `must not be blank`. */
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'InvalidBusinessSettings';
    this.field = field;
    this.problem = problem;
  }
}

/** The API's bounds, kept for every edge. */
export const BUSINESS_LIMITS = { name: 200, timezone: 100, alertEmails: 20, email: 254, slaHours: { min: 1, max: 720 } } as const;

// The shape a mailbox must have: the same as the API's `format: email` check (ajv-formats' fast mode).
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Whether an address has a mailbox's shape and length; alert rules send to one too. */
export function isMailbox(email: string): boolean {
  return email.length <= BUSINESS_LIMITS.email && EMAIL.test(email);
}

export function businessName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new InvalidBusinessSettings('name', 'must not be blank');
  if (trimmed.length > BUSINESS_LIMITS.name) throw new InvalidBusinessSettings('name', `must be at most ${BUSINESS_LIMITS.name} characters`);
  return trimmed;
}

export function canonicalTimezone(timezone: string): string {
  try {
    if (timezone.trim() === '' || timezone.length > BUSINESS_LIMITS.timezone) throw new RangeError('not a zone');
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidBusinessSettings('timezone', `"${timezone}" is not an IANA time zone (e.g. Europe/Paris)`);
  }
}

/** Mailbox names are case-insensitive in practice: one alert per person, spelled as first given. */
export function dedupeEmails(emails: readonly string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((email) => {
    const key = email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One to twenty mailboxes, each once. */
export function alertAddresses(emails: readonly string[]): string[] {
  if (emails.length === 0) throw new InvalidBusinessSettings('alertEmails', 'must list at least one address');
  for (const [index, email] of emails.entries()) {
    if (!isMailbox(email)) {
      throw new InvalidBusinessSettings(`alertEmails[${index}]`, `"${email}" is not an email address`);
    }
  }
  const unique = dedupeEmails(emails);
  if (unique.length > BUSINESS_LIMITS.alertEmails) throw new InvalidBusinessSettings('alertEmails', `must list at most ${BUSINESS_LIMITS.alertEmails} addresses`);
  return unique;
}

export function slaHours(hours: number): number {
  const { min, max } = BUSINESS_LIMITS.slaHours;
  if (!Number.isInteger(hours) || hours < min || hours > max) throw new InvalidBusinessSettings('slaHours', `must be a whole number of hours from ${min} to ${max}`);
  return hours;
}

/** Valid hours, sorted as they are stored; null clears them. */
export function checkedOpeningHours(hours: OpeningHours | null): OpeningHours | null {
  if (hours === null) return null;
  const problem = openingHoursProblem(hours);
  if (problem !== null) throw new InvalidBusinessSettings(`openingHours.${problem.path}`, problem.message);
  return normalizeOpeningHours(hours);
}

/** When digests go out: a local time "HH:MM" from 00:00 to 23:59. */
export function digestTime(time: string): string {
  const problem = clockProblem(time);
  if (problem !== null) throw new InvalidBusinessSettings('digest.time', problem);
  return time;
}

/** The day weekly digests (and the weekly report) go out, spelled out: monday … sunday. */
export function digestWeekday(day: string): DigestWeekday {
  const known = DIGEST_WEEKDAYS.find((weekday) => weekday === day);
  if (known === undefined) throw new InvalidBusinessSettings('digest.weekday', `must be one of ${DIGEST_WEEKDAYS.join(', ')}`);
  return known;
}
