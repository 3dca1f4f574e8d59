import type { Db } from '../../db/database.ts';
import { insertDeliveries, type NewDelivery } from '../../db/repositories/alert-deliveries.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { listBusinessOwnerEmails, listWeeklyReportBusinesses, newestBusinessDeliveryKey } from '../../db/repositories/weekly-reports.ts';
import { recipientsOf } from '../alerts/notice-audience.ts';
import { businessDigestSchedule } from '../alerts/digests/business-schedule.ts';
import { lastEndedDigestPeriod, type DigestPeriod } from '../alerts/digests/digest-schedule.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { WEEKLY_REPORT } from '../alerts/weekly-report/render-weekly-report.ts';
import type { Queues } from '../jobs/queues.ts';
import type { PeriodicTask } from './scheduler.ts';

/** A minute is as late as a report may go: owners pick the minute it is sent. */
const CHECK_EVERY_MS = 60_000;

/**
 * How long after its week ended a report is still sent. A scheduler back within a day
 * (a restart, a short outage) sends the week's report late; after a longer outage that
 * week is skipped and the next report comes at its usual time — a "weekly picture"
 * arriving days late, next to a fresh one a few days on, is noise rather than news.
 */
export const REPORT_LATE_LIMIT_MS = 24 * 3_600_000;

/**
 * Writes the weekly report to owners when a business's week ends: at its digest weekday
 * and time, in its time zone, DST-correct (services/alerts/digests/digest-schedule.ts).
 * One delivery per owner who can see the business (kind `weekly_report`, incident the
 * period key), or, where no person is an owner of it (an install run through the API
 * only), one per alert address. Deliveries are unique per business, recipient, kind and
 * period, so restarts, overlapping ticks and several schedulers write each once; only the
 * one that wrote them queues them, and the reconciler queues any left unsent.
 *
 * A week whose report, or a later one, is already on record is not written again: a later
 * key means the owner moved the weekday back after this week's report went. Each task
 * notes the newest key it has seen per business, so during the day a report may be due
 * it asks PostgreSQL once per business, not on every tick.
 */
export function sendWeeklyReports(deps: { db: Db; queues: Queues }): PeriodicTask {
  const written = new Map<string, string>();
  const alreadyWritten = async (businessId: string, key: string): Promise<boolean> => {
    const known = written.get(businessId) ?? (await newestBusinessDeliveryKey(deps.db, businessId, WEEKLY_REPORT));
    if (known !== null) written.set(businessId, known);
    // Keys end in the local ISO day, so they compare as the days do.
    return known !== null && known >= key;
  };
  return {
    name: 'weekly-reports',
    everyMs: CHECK_EVERY_MS,
    async run(now) {
      let count = 0;
      for (const business of await listWeeklyReportBusinesses(deps.db)) {
        const period = lastEndedDigestPeriod(businessDigestSchedule({ ...business, timeZone: business.timezone }, 'weekly'), now);
        if (now.getTime() - period.end.getTime() >= REPORT_LATE_LIMIT_MS) continue;
        if (await alreadyWritten(business.id, period.key)) continue;
        const deliveryIds = await writeReports(deps.db, business, period);
        written.set(business.id, period.key);
        await enqueueAlerts(deps.queues, `weekly-report-${business.id}-${period.key}`, deliveryIds);
        count += deliveryIds.length;
      }
      return count;
    },
  };
}

async function writeReports(db: Db, business: BusinessRecord, period: DigestPeriod): Promise<string[]> {
  const owners = await listBusinessOwnerEmails(db, business.accountId, business.id);
  const recipients = recipientsOf(owners.length > 0 ? owners : business.alertEmails);
  const deliveries: NewDelivery[] = recipients.map((recipient) => ({
    accountId: business.accountId,
    itemId: null,
    sourceId: null,
    signInLinkId: null,
    businessId: business.id,
    recipient,
    kind: WEEKLY_REPORT,
    incident: period.key,
  }));
  return insertDeliveries(db, deliveries);
}
