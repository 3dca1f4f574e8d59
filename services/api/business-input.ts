import { invalidInput } from './errors.ts';

/** Business fields as a client sends them, made canonical; shared by creating and changing a business. */

export function canonicalTimezone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw invalidInput('body.timezone', `body.timezone "${timezone}" is not an IANA time zone (e.g. Europe/Paris)`);
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
