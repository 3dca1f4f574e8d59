import { sql, type Kysely } from 'kysely';
import type { OpeningHours } from '../opening-hours-shape.ts';
import type { Database } from '../schema.ts';
import type { BusinessRecord } from './businesses.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** A business with the settings that shape its response-time figures. */
export interface BusinessSettingsRecord extends BusinessRecord {
  /** null: no hours set; business-hours figures then count every hour. */
  openingHours: OpeningHours | null;
}

/** Only the fields given change; `openingHours: null` clears the hours. */
export interface BusinessSettingsPatch {
  name?: string;
  /** A canonical IANA zone name; the caller has validated it. */
  timezone?: string;
  openingHours?: OpeningHours | null;
  slaHours?: number;
  alertEmails?: readonly string[];
}

const COLUMNS = ['id', 'account_id', 'name', 'timezone', 'alert_emails', 'sla_hours', 'opening_hours', 'created_at'] as const;

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
      updated_at: sql`now()`,
    })
    .where('id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('businesses.id', scope))
    .returning(COLUMNS)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    timezone: row.timezone,
    alertEmails: row.alert_emails,
    slaHours: row.sla_hours,
    openingHours: (row.opening_hours ?? null) as OpeningHours | null,
    createdAt: row.created_at,
  };
}
