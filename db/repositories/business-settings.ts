import { sql, type Kysely } from 'kysely';
import type { OpeningHours } from '../opening-hours-shape.ts';
import type { Database, DigestWeekday } from '../schema.ts';
import { BUSINESS_COLUMNS, toBusinessRecord, type BusinessRecord } from './businesses.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** A business with the settings that shape its alerts, digests and response-time figures. */
export type BusinessSettingsRecord = BusinessRecord;

/** Only the fields given change; `openingHours: null` clears the hours. */
export interface BusinessSettingsPatch {
  name?: string;
  /** A canonical IANA zone name; the caller has validated it. */
  timezone?: string;
  openingHours?: OpeningHours | null;
  slaHours?: number;
  alertEmails?: readonly string[];
  /** "HH:MM", checked by the caller. */
  digestTime?: string;
  digestWeekday?: DigestWeekday;
  weeklyReport?: boolean;
}

/** The updated business, or undefined when it is not within the scope (or does not exist: callers cannot tell). */
export async function updateBusinessSettings(
  db: Kysely<Database>,
  scope: TenantScope,
  businessId: string,
  patch: BusinessSettingsPatch,
): Promise<BusinessSettingsRecord | undefined> {
  const row = await db
    .updateTable('businesses')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.openingHours !== undefined && { opening_hours: patch.openingHours === null ? null : JSON.stringify(patch.openingHours) }),
      ...(patch.slaHours !== undefined && { sla_hours: patch.slaHours }),
      ...(patch.alertEmails !== undefined && { alert_emails: [...patch.alertEmails] }),
      ...(patch.digestTime !== undefined && { digest_time: patch.digestTime }),
      ...(patch.digestWeekday !== undefined && { digest_weekday: patch.digestWeekday }),
      ...(patch.weeklyReport !== undefined && { weekly_report: patch.weeklyReport }),
      updated_at: sql`now()`,
    })
    .where('id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('businesses.id', scope))
    .returning(BUSINESS_COLUMNS)
    .executeTakeFirst();
  return row && toBusinessRecord(row);
}
