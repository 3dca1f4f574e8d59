import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { AlertsNotSentYet, deliverAlerts, type DeliveryDeps, type DeliveryOutcome } from '../alerts/deliver.ts';
import { DeliverySubjectGoneError } from '../alerts/render-delivery.ts';
import type { AlertJobData } from './queues.ts';

/**
 * Sends one batch of deliveries, each at most once (services/alerts/deliver.ts); BullMQ retries
 * what failed with the capped backoff. A channel that said how long to wait (a rate limit) is
 * tried again after exactly that, without spending an attempt; so is a batch quiet hours hold,
 * when they end.
 */
export async function runAlertJob(job: Job<AlertJobData>, deps: DeliveryDeps, token?: string): Promise<DeliveryOutcome> {
  let outcome: DeliveryOutcome;
  try {
    outcome = await deliverAlerts(job.data.deliveryIds, deps, job.id);
  } catch (error) {
    // Retrying cannot bring a deleted item or source back.
    if (error instanceof DeliverySubjectGoneError) throw new UnrecoverableError(error.message);
    if (error instanceof AlertsNotSentYet && error.retryAfterMs !== null && token !== undefined) {
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
    throw error;
  }
  // Quiet hours hold some of the batch: the job comes back when they end; what was sent is skipped then.
  if (outcome.heldUntil !== null && token !== undefined) {
    await job.moveToDelayed(Math.max(outcome.heldUntil.getTime(), Date.now() + 1000), token);
    throw new DelayedError();
  }
  return outcome;
}
