import { jobIds, retryOptions, type Queues } from '../jobs/queues.ts';

/** Alerts are retried until SMTP is back: attempts × the capped backoff covers hours; the reconciler covers the rest. */
const ALERT_ATTEMPTS = 50;

/** Queues deliveries for sending under a job id made from `origin`, so a repeat enqueue collapses. */
export async function enqueueAlerts(queues: Queues, origin: string, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queues.alert.add('alert', { deliveryIds }, { jobId: jobIds.alert(origin), ...retryOptions(ALERT_ATTEMPTS) });
}

/**
 * Queues deliveries a person's request just wrote (an invitation, a reset link). The
 * delivery is already on record, so a Redis that cannot take the job now must not fail
 * the request: the reconciler queues pending deliveries it finds untouched for a
 * minute, so the email still leaves within about two.
 */
export async function enqueueAlertsSoon(queues: Queues, origin: string, deliveryIds: string[], log: { warn(data: object, message: string): void }): Promise<void> {
  try {
    await enqueueAlerts(queues, origin, deliveryIds);
  } catch (error) {
    log.warn({ deliveryIds, err: error instanceof Error ? error.message : String(error) }, 'could not queue the email now; the reconciler will');
  }
}
