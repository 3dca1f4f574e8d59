import type { Db } from '../../db/database.ts';
import { findQuietHoursOfRecipients, personKey } from '../../db/repositories/quiet-hours.ts';
import { instantAlertSendAt, isUrgent, quietClock, quietHoursProblem } from './quiet-hours.ts';
import type { RoutedRecipient } from './rules/rule-recipients.ts';

/** An instant alert about to be written, with what decides whether quiet hours hold it. */
export interface InstantAlert {
  accountId: string;
  /** The item's business: its time zone is the one quiet hours are read in. */
  businessId: string;
  rating: number | null;
  to: RoutedRecipient;
}

/**
 * Until when each alert is held by its recipient's quiet hours: null to send at once.
 * A channel has its own quiet hours; an email address follows the quiet hours of the
 * account's person with that address, whatever its case — so a `{userId}` rule and an
 * alert address that is a person's own both wait for that person's morning. An urgent
 * item (1★, or named by a rule marked urgent for this recipient) is never held.
 * `now` is the moment the alert is decided, passed in so tests can set it.
 */
export async function quietHoursHolds(tx: Db, alerts: readonly InstantAlert[], now: Date): Promise<Array<Date | null>> {
  if (alerts.length === 0) return [];
  const found = await findQuietHoursOfRecipients(tx, {
    businessIds: [...new Set(alerts.map((alert) => alert.businessId))],
    people: alerts.flatMap((alert) => ('email' in alert.to ? [{ accountId: alert.accountId, email: alert.to.email }] : [])),
    channelIds: [...new Set(alerts.flatMap((alert) => ('channelId' in alert.to ? [alert.to.channelId] : [])))],
  });
  return alerts.map((alert) => {
    const hours = 'channelId' in alert.to ? found.channels.get(alert.to.channelId) : found.people.get(personKey(alert.accountId, alert.to.email));
    const timeZone = found.timeZones.get(alert.businessId);
    // Settings are checked when saved; one that is not valid anyway must not stop an alert.
    if (hours === undefined || timeZone === undefined || quietHoursProblem(hours) !== null) return null;
    const sendAt = instantAlertSendAt(quietClock(hours, timeZone), now, isUrgent(alert, alert.to.urgent));
    return sendAt.getTime() > now.getTime() ? sendAt : null;
  });
}
