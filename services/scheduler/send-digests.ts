import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { insertDeliveries } from '../../db/repositories/alert-deliveries.ts';
import { attachWaitingEntries, listWaitingDigests, type WaitingDigest } from '../../db/repositories/digest-entries.ts';
import { businessDigestSchedule } from '../alerts/digests/business-schedule.ts';
import { DIGEST_KINDS } from '../alerts/digests/digest-kinds.ts';
import { lastEndedDigestPeriod, type DigestPeriod } from '../alerts/digests/digest-schedule.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import type { Queues } from '../jobs/queues.ts';
import type { PeriodicTask } from './scheduler.ts';

/**
 * Gathers daily and weekly digests when their period ends. What rules put aside when items
 * were judged (digest_entries) waits per business, cadence and recipient; once the
 * business's last ended period (its time zone, digest time and weekday, at `now`) ended
 * after the oldest waiting entry, one transaction writes the recipient's digest delivery —
 * unique per business, recipient, kind and period key — and hands it exactly the entries
 * written before the period ended. Then the delivery is queued like any alert.
 *
 * Exactly once, whatever runs it: a second scheduler, or this one after a restart, finds
 * the delivery of that period written (ON CONFLICT DO NOTHING returns nothing) and does
 * nothing; an entry is handed to one digest only (it must still be waiting). An entry that
 * missed its digest — committed just after the period was gathered, or waiting through an
 * outage longer than a period — goes into the next one: never lost, never twice. Nothing
 * waiting, nothing written: an empty digest is never sent. A delivery written but not
 * queued (a crash between the two) is queued by the reconciler.
 */
export function sendDigests(deps: { db: Db; queues: Queues; log: Logger }): PeriodicTask {
  return { name: 'send-digests', everyMs: 60_000, run: (now) => gatherDueDigests(deps, now) };
}

/** Returns how many digests it wrote. */
async function gatherDueDigests(deps: { db: Db; queues: Queues; log: Logger }, now: Date): Promise<number> {
  let written = 0;
  for (const waiting of await listWaitingDigests(deps.db)) {
    let deliveryId: string | undefined;
    try {
      const period = lastEndedDigestPeriod(businessDigestSchedule(waiting, waiting.cadence), now);
      if (waiting.oldestAt.getTime() >= period.end.getTime()) continue;
      deliveryId = await gatherDigest(deps.db, waiting, period);
    } catch (error) {
      // One business's digest that cannot be gathered must not hold back everyone else's.
      deps.log.error({ businessId: waiting.businessId, cadence: waiting.cadence, err: error instanceof Error ? error.message : String(error) }, 'could not gather a digest');
      continue;
    }
    if (deliveryId === undefined) continue;
    written++;
    // One job per digest: a channel's rate limit holds back only its own.
    await enqueueAlerts(deps.queues, `digest-${deliveryId}`, [deliveryId]);
  }
  return written;
}

/** Writes the recipient's digest of the period with its entries; undefined when it was written already. */
async function gatherDigest(db: Db, waiting: WaitingDigest, period: DigestPeriod): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    const [deliveryId] = await insertDeliveries(tx, [
      {
        accountId: waiting.accountId,
        itemId: null,
        sourceId: null,
        signInLinkId: null,
        businessId: waiting.businessId,
        recipient: waiting.recipient,
        channelId: waiting.channelId,
        kind: DIGEST_KINDS[waiting.cadence],
        incident: period.key,
      },
    ]);
    // Another scheduler, or this one before a restart, gathered this period: its entries are in it, or wait for the next.
    if (deliveryId === undefined) return undefined;
    await attachWaitingEntries(tx, { deliveryId, businessId: waiting.businessId, cadence: waiting.cadence, recipient: waiting.recipient, before: period.end });
    return deliveryId;
  });
}
