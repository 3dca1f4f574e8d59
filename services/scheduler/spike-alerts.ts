import type { Db } from '../../db/database.ts';
import { insertDeliveries } from '../../db/repositories/alert-deliveries.ts';
import { businessesWithSpike, countNegativeItems } from '../../db/repositories/spikes.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { noticeAudiences, noticeDeliveries } from '../alerts/notice-audience.ts';
import { isSpike, SPIKE, SPIKE_MINIMUM, spikeBlock, spikeWindow } from '../alerts/spike-rule.ts';
import type { Queues } from '../jobs/queues.ts';
import type { PeriodicTask } from './scheduler.ts';

// A quarter of an hour late at most, against a six-hour window.
const EVERY_MS = 15 * 60_000;

/**
 * Spike alerts: a business with more negative items in the last hours than it usually gets
 * (services/alerts/spike-rule.ts) tells its notice recipients (services/alerts/notice-audience.ts)
 * once. Once: the delivery's incident is the six-hour block of the clock it was found in, unique
 * per business, recipient and kind; and a business told in the block before is not told again,
 * so one spike that goes on across a block's end is one alert.
 */
export function spikeAlerts(deps: { db: Db; queues: Queues }): PeriodicTask {
  return { name: 'spike-alerts', everyMs: EVERY_MS, run: (now) => sendSpikeAlerts(deps, now) };
}

async function sendSpikeAlerts(deps: { db: Db; queues: Queues }, now: Date): Promise<number> {
  const counts = await countNegativeItems(deps.db, spikeWindow(now), { minimum: SPIKE_MINIMUM });
  const spiking = counts.filter(isSpike).map((business) => business.businessId);
  if (spiking.length === 0) return 0;
  const incident = spikeBlock(now);
  const told = await businessesWithSpike(deps.db, spiking, SPIKE, [incident, spikeBlock(now, true)]);
  const audiences = await noticeAudiences(deps.db, spiking.filter((businessId) => !told.has(businessId)));
  const deliveries = [...audiences.values()].flatMap((audience) => noticeDeliveries(audience, { businessId: audience.businessId }, SPIKE, incident));
  // One statement: all of them are written, or none.
  const deliveryIds = await insertDeliveries(deps.db, deliveries);
  // Should Redis refuse this, the reconciler queues the pending deliveries it finds.
  if (deliveryIds.length > 0) await enqueueAlerts(deps.queues, `${incident}-${deliveryIds[0]}`, deliveryIds);
  return deliveryIds.length;
}
