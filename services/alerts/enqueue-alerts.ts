import { jobIds, retryOptions, type Queues } from '../jobs/queues.ts';

/** Alerts are retried until SMTP is back: attempts × the capped backoff covers hours; the reconciler covers the rest. */
const ALERT_ATTEMPTS = 50;

/** Queues deliveries for sending under a job id made from `origin`, so a repeat enqueue collapses. */
export async function enqueueAlerts(queues: Queues, origin: string, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queues.alert.add('alert', { deliveryIds }, { jobId: jobIds.alert(origin), ...retryOptions(ALERT_ATTEMPTS) });
}
