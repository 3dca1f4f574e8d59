import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { pendingDeliveriesFor } from '../../db/repositories/analysis.ts';
import { analyzeItems } from '../analysis/analyze-items.ts';
import { jobIds, retryOptions, type AnalyzeJobData, type Queues } from '../queue/queues.ts';

export interface AnalyzeJobDeps {
  db: Db;
  queues: Queues;
  config: Config;
  log: Logger;
}

/** Alerts are retried until SMTP is back: attempts × the capped backoff covers hours; the reconciler covers the rest. */
const ALERT_ATTEMPTS = 50;

export async function runAnalyzeJob(job: Job<AnalyzeJobData>, deps: AnalyzeJobDeps): Promise<{ analyzed: number; flagged: number; deliveries: number }> {
  const outcome = await analyzeItems(deps.db, job.data.itemIds, { alertMaxAgeDays: deps.config.alertMaxAgeDays });
  // Also pick up deliveries an earlier, interrupted run of this job committed but never queued.
  const deliveryIds = await pendingDeliveriesFor(deps.db, job.data.itemIds);
  if (deliveryIds.length > 0) {
    await deps.queues.alert.add('alert', { deliveryIds }, { jobId: jobIds.alert(String(job.id)), ...retryOptions(ALERT_ATTEMPTS) });
  }
  if (outcome.flagged > 0) deps.log.info({ jobId: job.id, flagged: outcome.flagged, deliveries: deliveryIds.length }, 'items flagged');
  return { analyzed: outcome.analyzed, flagged: outcome.flagged, deliveries: deliveryIds.length };
}
