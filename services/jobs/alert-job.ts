import { UnrecoverableError, type Job } from 'bullmq';
import { deliverAlerts, type DeliveryDeps, type DeliveryOutcome } from '../alerts/deliver.ts';
import { DeliverySubjectGoneError } from '../alerts/render-delivery.ts';
import type { AlertJobData } from './queues.ts';

/** Sends one batch of deliveries, each at most once (services/alerts/deliver.ts); BullMQ retries what failed. */
export async function runAlertJob(job: Job<AlertJobData>, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  try {
    return await deliverAlerts(job.data.deliveryIds, deps, job.id);
  } catch (error) {
    // Retrying cannot bring a deleted item or source back.
    if (error instanceof DeliverySubjectGoneError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
