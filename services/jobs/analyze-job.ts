import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { pendingDeliveriesFor } from '../../db/repositories/alert-deliveries.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { analyzeItems } from '../analysis/analyze-items.ts';
import type { AnalyzeJobData, Queues } from './queues.ts';

export interface AnalyzeJobDeps {
  db: Db;
  queues: Queues;
  config: Config;
  log: Logger;
}

export async function runAnalyzeJob(job: Job<AnalyzeJobData>, deps: AnalyzeJobDeps): Promise<{ analyzed: number; flagged: number; deliveries: number }> {
  const outcome = await analyzeItems(deps.db, job.data.itemIds, { alertMaxAgeDays: deps.config.alertMaxAgeDays });
  // Also pick up deliveries an earlier, interrupted run of this job committed but never queued.
  const deliveryIds = await pendingDeliveriesFor(deps.db, job.data.itemIds);
  await enqueueAlerts(deps.queues, String(job.id), deliveryIds);
  if (outcome.flagged > 0) deps.log.info({ jobId: job.id, flagged: outcome.flagged, deliveries: deliveryIds.length }, 'items flagged');
  return { analyzed: outcome.analyzed, flagged: outcome.flagged, deliveries: deliveryIds.length };
}
