import type { Db } from '../../db/database.ts';
import { createBusiness, type BusinessRecord } from '../../db/repositories/businesses.ts';
import { updateBusinessSettings, type BusinessSettingsRecord } from '../../db/repositories/business-settings.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { OpeningHours } from '../response-times/opening-hours.ts';
import { alertAddresses, businessName, canonicalTimezone, checkedOpeningHours, digestTime, digestWeekday, slaHours } from './business-input.ts';

export interface NewBusinessRequest {
  name: string;
  /** UTC when absent. */
  timezone?: string;
  alertEmails: readonly string[];
}

/** Only the settings given change; `openingHours: null` clears the hours. */
export interface BusinessSettingsChange {
  name?: string;
  timezone?: string;
  openingHours?: OpeningHours | null;
  slaHours?: number;
  alertEmails?: readonly string[];
  /** When digests go out: a local time, and the day of the weekly one; either may be left out. */
  digest?: { time?: string; weekday?: string };
  weeklyReport?: boolean;
}

/** Adds a business to the account, its settings checked (throws InvalidBusinessSettings). */
export async function addBusiness(db: Db, accountId: string, request: NewBusinessRequest): Promise<BusinessRecord> {
  return createBusiness(db, accountId, {
    name: businessName(request.name),
    timezone: canonicalTimezone(request.timezone ?? 'UTC'),
    alertEmails: alertAddresses(request.alertEmails),
  });
}

/**
 * Changes the settings that shape alerts, digests and response-time figures, each checked
 * (throws InvalidBusinessSettings). Undefined when the business is not within the scope.
 */
export async function changeBusinessSettings(
  db: Db,
  scope: TenantScope,
  businessId: string,
  change: BusinessSettingsChange,
): Promise<BusinessSettingsRecord | undefined> {
  return updateBusinessSettings(db, scope, businessId, {
    name: change.name === undefined ? undefined : businessName(change.name),
    timezone: change.timezone === undefined ? undefined : canonicalTimezone(change.timezone),
    openingHours: change.openingHours === undefined ? undefined : checkedOpeningHours(change.openingHours),
    slaHours: change.slaHours === undefined ? undefined : slaHours(change.slaHours),
    alertEmails: change.alertEmails === undefined ? undefined : alertAddresses(change.alertEmails),
    digestTime: change.digest?.time === undefined ? undefined : digestTime(change.digest.time),
    digestWeekday: change.digest?.weekday === undefined ? undefined : digestWeekday(change.digest.weekday),
    weeklyReport: change.weeklyReport,
  });
}
