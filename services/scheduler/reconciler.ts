import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { listStrandedDeliveries } from '../../db/repositories/alert-deliveries.ts';
import { listStrandedUnanalyzed } from '../../db/repositories/analysis.ts';
import { listStrandedReplies } from '../../db/repositories/item-replies.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { enqueueAnalysis } from '../analysis/enqueue-analysis.ts';
import type { Queues } from '../jobs/queues.ts';
import { enqueueReply } from '../replies/enqueue-reply.ts';

const BATCH = 500;
/** Work younger than this is most likely still on its way through the queue. */
const GRACE_SECONDS = 60;
/** How far back unanalysed items are looked for. */
const LOOKBACK_DAYS = 7;

/**
 * Redis only carries work; Postgres knows what is unfinished. This puts back on the
 * queues every item not yet analysed, every alert not yet sent and every reply due and
 * not yet sent, so a flushed or lost Redis loses nothing.
 */
export async function reconcile(deps: { db: Db; queues: Queues; config: Config }): Promise<{ analyze: number; alerts: number; replies: number }> {
  const { db, queues, config } = deps;
  const minute = Math.floor(Date.now() / 60_000);
  const unanalyzed = await listStrandedUnanalyzed(db, { graceSeconds: GRACE_SECONDS, lookbackDays: LOOKBACK_DAYS }, 10 * BATCH);
  for (let i = 0; i < unanalyzed.length; i += BATCH) {
    await enqueueAnalysis(queues, `reconcile-${minute}`, i / BATCH, unanalyzed.slice(i, i + BATCH));
  }
  // A pending delivery that a retrying job still holds is touched at least once per longest backoff.
  const idleSeconds = config.retryMaxDelaySeconds + GRACE_SECONDS;
  const stranded = await listStrandedDeliveries(db, { graceSeconds: GRACE_SECONDS, idleSeconds, leaseSeconds: config.alertLeaseSeconds });
  for (const delivery of stranded) await enqueueAlerts(queues, `reconcile-${delivery.id}-${delivery.attempts}`, [delivery.id]);
  // A reply whose worker died is taken over once its lease runs out; the sender reads the platform before posting again.
  const replies = await listStrandedReplies(db, { graceSeconds: GRACE_SECONDS, idleSeconds, leaseSeconds: config.replyLeaseSeconds });
  for (const reply of replies) await enqueueReply(queues, { id: reply.id, sendAt: new Date() }, reply.attempts + 1);
  return { analyze: unanalyzed.length, alerts: stranded.length, replies: replies.length };
}
