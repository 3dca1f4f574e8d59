import { jobIds, retryOptions, type Queues } from '../jobs/queues.ts';

/** Analysis only needs PostgreSQL: a few retries cover a short outage; the reconciler covers the rest. */
const ANALYZE_ATTEMPTS = 10;

/**
 * Queues one batch of new or edited items for analysis under a job id made from
 * `origin` (the poll job, webhook request or reconciler run that found them) and the
 * batch's number within it, so a repeat enqueue collapses.
 */
export async function enqueueAnalysis(queues: Queues, origin: string, batch: number, itemIds: string[]): Promise<void> {
  if (itemIds.length === 0) return;
  await queues.analyze.add('analyze', { itemIds }, { jobId: jobIds.analyze(origin, batch), ...retryOptions(ANALYZE_ATTEMPTS) });
}
