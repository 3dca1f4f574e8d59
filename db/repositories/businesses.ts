import type { Kysely, Selectable } from 'kysely';
import { DEFAULT_ALERT_RULE, UNJUDGED_DIGEST_RULE } from '../alert-rule-shape.ts';
import type { OpeningHours } from '../opening-hours-shape.ts';
import type { BusinessesTable, Database, DigestWeekday } from '../schema.ts';
import { insertAlertRule } from './alert-rules.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface BusinessRecord {
  id: string;
  accountId: string;
  name: string;
  timezone: string;
  alertEmails: string[];
  slaHours: number;
  /** null: no hours set; business-hours figures then count every hour. */
  openingHours: OpeningHours | null;
  /** "HH:MM" in `timezone`: when daily digests go out, and weekly ones on `digestWeekday`. */
  digestTime: string;
  digestWeekday: DigestWeekday;
  /** The weekly report to the owners; on unless turned off. */
  weeklyReport: boolean;
  createdAt: Date;
}

export interface NewBusiness {
  name: string;
  /** A canonical IANA zone name; the caller has validated it. */
  timezone: string;
  alertEmails: readonly string[];
}

const COLUMNS = ['id', 'account_id', 'name', 'timezone', 'alert_emails', 'sla_hours', 'opening_hours', 'digest_time', 'digest_weekday', 'weekly_report', 'created_at'] as const;

function toRecord(row: Pick<Selectable<BusinessesTable>, (typeof COLUMNS)[number]>): BusinessRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    timezone: row.timezone,
    alertEmails: row.alert_emails,
    slaHours: row.sla_hours,
    openingHours: (row.opening_hours ?? null) as OpeningHours | null,
    digestTime: row.digest_time,
    digestWeekday: row.digest_weekday,
    weeklyReport: row.weekly_report,
    createdAt: row.created_at,
  };
}

/** For queries elsewhere that read businesses together with something else in one round trip. */
export { COLUMNS as BUSINESS_COLUMNS, toRecord as toBusinessRecord };

/**
 * Adds a business with its default alert rules, in one transaction: a business is never
 * seen without the rule that tells its alert addresses about flagged items, nor the one
 * that puts what could not be judged in their daily digest.
 */
export async function createBusiness(db: Kysely<Database>, accountId: string, input: NewBusiness): Promise<BusinessRecord> {
  if (!db.isTransaction) return db.transaction().execute((tx) => createBusiness(tx, accountId, input));
  const row = await db
    .insertInto('businesses')
    .values({ account_id: accountId, name: input.name, timezone: input.timezone, alert_emails: [...input.alertEmails] })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  await insertAlertRule(db, { accountId, businessId: row.id }, DEFAULT_ALERT_RULE);
  await insertAlertRule(db, { accountId, businessId: row.id }, UNJUDGED_DIGEST_RULE);
  return toRecord(row);
}

export async function listBusinesses(db: Kysely<Database>, scope: TenantScope): Promise<BusinessRecord[]> {
  const rows = await db
    .selectFrom('businesses')
    .select(COLUMNS)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('businesses.id', scope))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The business, or undefined when it is not within the scope (or does not exist: callers cannot tell). */
export async function findBusiness(db: Kysely<Database>, scope: TenantScope, businessId: string): Promise<BusinessRecord | undefined> {
  const row = await db
    .selectFrom('businesses')
    .select(COLUMNS)
    .where('id', '=', businessId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('businesses.id', scope))
    .executeTakeFirst();
  return row && toRecord(row);
}
