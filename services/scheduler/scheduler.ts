import cron from 'node-cron';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { listDueSources } from '../../db/repositories/poll-state.ts';
import { pruneFactChanges } from '../../db/repositories/response-facts.ts';
import { deleteEndedSessions } from '../../db/repositories/sessions.ts';
import { FACT_CHANGES_KEPT_MS } from '../response-times/response-facts-cache.ts';
import { enqueuePoll } from '../sources/enqueue-poll.ts';
import type { Queues } from '../jobs/queues.ts';
import { isBackingServiceOutage } from '../runtime/backing-service-outage.ts';
import { escalateOverdue } from './escalate-overdue.ts';
import { checkQuietSources } from './quiet-sources.ts';
import { reReviewExpiry } from './re-review-expiry.ts';
import { reconcile } from './reconciler.ts';
import { sendDigests } from './send-digests.ts';
import { sendWeeklyReports } from './send-weekly-reports.ts';
import { spikeAlerts } from './spike-alerts.ts';

/**
 * Work the scheduler does every so often besides queueing polls and reconciling: each task
 * is one file in this folder (or a line or two here), listed in `periodicTasks` below. `run` is given the tick's `now`, so tests
 * drive a task with any clock; it returns how many things it did, for the log.
 */
export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(now: Date): Promise<number>;
}

export interface RunningScheduler {
  /** One tick by hand (tests, and the first tick at start). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

// Scans every source's recent items; a quiet spell is measured in days, so a few hours is soon enough.
const QUIET_CHECK_EVERY_MS = 6 * 3600_000;
// Hourly housekeeping: the response-time change log only needs its last day, and web sessions past
// their idle or absolute end are of no use; pruning hourly keeps both small.
const HOUSEKEEPING_EVERY_MS = 3600_000;

/** The periodic tasks, in the order each tick runs them. */
function periodicTasks(deps: { db: Db; queues: Queues; config: Config; log: Logger }): PeriodicTask[] {
  const { db, queues, config } = deps;
  return [
    { name: 'quiet-sources', everyMs: QUIET_CHECK_EVERY_MS, run: () => checkQuietSources(db, queues) },
    {
      name: 'housekeeping',
      everyMs: HOUSEKEEPING_EVERY_MS,
      run: async (now) => {
        await pruneFactChanges(db, new Date(now.getTime() - FACT_CHANGES_KEPT_MS));
        await deleteEndedSessions(db, config.sessionIdleHours * 3600);
        return 0;
      },
    },
    sendDigests(deps),
    sendWeeklyReports(deps),
    escalateOverdue(deps),
    spikeAlerts(deps),
  ];
}

/**
 * Cron only enqueues: every tick queues each due source under a job id made of the
 * source and its slot, so any number of schedulers together poll each slot once.
 * Once a minute it also re-queues what Postgres says is unfinished.
 */
export function startScheduler(deps: { db: Db; queues: Queues; config: Config; log: Logger }): RunningScheduler {
  const { db, queues, config, log } = deps;
  let running: Promise<unknown> = Promise.resolve();
  let lastReconcile = 0;
  const expireReReviews = reReviewExpiry({ db, config, log });
  const periodic = periodicTasks({ db, queues, config, log });
  const lastRun = new Map<string, number>();

  async function tick(): Promise<number> {
    const due = await listDueSources(db, new Date());
    for (const source of due) await enqueuePoll(queues, source.id, source.next_poll_at);
    if (Date.now() - lastReconcile >= 60_000) {
      lastReconcile = Date.now();
      const requeued = await reconcile({ db, queues, config });
      if (requeued.analyze + requeued.alerts + requeued.replies > 0) log.info(requeued, 're-queued unfinished work found in Postgres');
    }
    await expireReReviews();
    for (const task of periodic) {
      if (Date.now() - (lastRun.get(task.name) ?? 0) < task.everyMs) continue;
      lastRun.set(task.name, Date.now());
      const done = await task.run(new Date());
      // quiet-sources: sources quiet for far longer than usual, their owners told; the others: alerts written.
      if (done > 0) log.info({ task: task.name, done }, 'scheduled work done');
    }
    if (due.length > 0) log.debug({ due: due.length }, 'due sources queued');
    return due.length;
  }

  function guardedTick(): void {
    // Ticks never overlap: a slow database delays the next tick instead of piling them up.
    running = running.then(tick).catch((error: unknown) => {
      // An unreachable PostgreSQL or Redis is logged once by its connection watch, not on every tick.
      const level = isBackingServiceOutage(error) ? 'debug' : 'error';
      log[level]({ err: error instanceof Error ? error.message : String(error) }, 'scheduler tick failed');
    });
  }

  const task = cron.schedule(`*/${config.schedulerTickSeconds} * * * * *`, guardedTick, { name: 'earshot-scheduler' });
  guardedTick();
  return {
    tick,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
