import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { QuietHoursSetting } from '../schema.ts';

/**
 * What holding instant alerts for quiet hours reads: each business's time zone, and the
 * quiet hours of the people and channels about to be told. Only recipients that have
 * quiet hours are returned; everyone else is never held.
 */
export interface QuietHoursOfRecipients {
  /** Business id → IANA time zone, which quiet hours are read in. */
  timeZones: Map<string, string>;
  /** `accountId email` (lower-cased) → the quiet hours of the account's person with that email. */
  people: Map<string, QuietHoursSetting>;
  /** Channel id → the channel's quiet hours. */
  channels: Map<string, QuietHoursSetting>;
}

/** The key of `people`: an address is a person's only within that person's account. */
export function personKey(accountId: string, email: string): string {
  return `${accountId} ${email.toLowerCase()}`;
}

export async function findQuietHoursOfRecipients(
  db: Db,
  wanted: { businessIds: string[]; people: Array<{ accountId: string; email: string }>; channelIds: string[] },
): Promise<QuietHoursOfRecipients> {
  const found: QuietHoursOfRecipients = { timeZones: new Map(), people: new Map(), channels: new Map() };
  if (wanted.businessIds.length > 0) {
    const rows = await db.selectFrom('businesses').select(['id', 'timezone']).where('id', '=', sql<string>`ANY(${wanted.businessIds}::uuid[])`).execute();
    for (const row of rows) found.timeZones.set(row.id, row.timezone);
  }
  if (wanted.people.length > 0) {
    const rows = await db
      .selectFrom('users')
      .select(['account_id', 'email', 'quiet_hours'])
      .where(sql<boolean>`(account_id, lower(email)) IN (SELECT * FROM unnest(${wanted.people.map((p) => p.accountId)}::uuid[], ${wanted.people.map((p) => p.email.toLowerCase())}::text[]))`)
      .where('quiet_hours', 'is not', null)
      .execute();
    for (const row of rows) if (row.quiet_hours !== null) found.people.set(personKey(row.account_id, row.email), row.quiet_hours);
  }
  if (wanted.channelIds.length > 0) {
    const rows = await db
      .selectFrom('alert_channels')
      .select(['id', 'quiet_hours'])
      .where('id', '=', sql<string>`ANY(${wanted.channelIds}::uuid[])`)
      .where('quiet_hours', 'is not', null)
      .execute();
    for (const row of rows) if (row.quiet_hours !== null) found.channels.set(row.id, row.quiet_hours);
  }
  return found;
}
