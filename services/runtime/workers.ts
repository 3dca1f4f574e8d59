import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import type { MailTransport } from '../alerts/mail-transport.ts';
import { createGuardedAgent } from '../sources/http/guarded-agent.ts';
import { createRequestBudget } from '../sources/http/request-budget.ts';
import { runAlertJob } from '../jobs/alert-job.ts';
import { runAnalyzeJob } from '../jobs/analyze-job.ts';
import { runPollJob } from '../jobs/poll-job.ts';
import { runReplyJob } from '../jobs/reply-job.ts';
import { ReplyNotSentYet } from '../replies/send-reply.ts';
import { cappedExponentialDelay } from '../jobs/backoff.ts';
import { QUEUE_NAMES, type Queues } from '../jobs/queues.ts';
import { closeRedis, createWorkerConnection } from './redis-connection.ts';
import { isBackingServiceOutage } from './backing-service-outage.ts';
import { isRedisUnreachable } from './redis-errors.ts';
import { startStreams } from '../streams/start-streams.ts';
import type { CredentialsKey } from '../sources/credentials.ts';

export interface WorkerDeps {
  db: Db;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  mail: MailTransport;
  log: Logger;
}

export interface RunningWorkers {
  /** Stops taking jobs and waits for the ones in hand to finish. */
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const { config, queues, log } = deps;
  const shutdown = new AbortController();
  const budget = createRequestBudget(queues.connection, `${queues.prefix}:budget`);
  const agent = createGuardedAgent(config.allowPrivateUrls);
  const connection = createWorkerConnection(queues.connection);
  // A lost Redis is reported once by the queues' connection watch; each retry here is the same outage.
  connection.on('error', () => undefined);
  const options: WorkerOptions = {
    connection,
    prefix: queues.prefix,
    concurrency: config.workerConcurrency,
    lockDuration: config.jobLockSeconds * 1000,
    stalledInterval: Math.max(1000, (config.jobLockSeconds * 1000) / 2),
    settings: {
      backoffStrategy: (attemptsMade: number) =>
        cappedExponentialDelay(attemptsMade, config.retryBaseDelayMs, config.retryMaxDelaySeconds * 1000),
    },
  };
  const workers = [
    new Worker(QUEUE_NAMES.poll, (job: Job) => runPollJob(job, { ...deps, budget, agent, log: log.child({ queue: 'poll' }) }, shutdown.signal), options),
    new Worker(QUEUE_NAMES.analyze, (job: Job) => runAnalyzeJob(job, { ...deps, log: log.child({ queue: 'analyze' }) }), options),
    new Worker(QUEUE_NAMES.alert, (job: Job, token?: string) => runAlertJob(job, { ...deps, log: log.child({ queue: 'alert' }) }, token), options),
    new Worker(QUEUE_NAMES.replies, (job: Job, token?: string) => runReplyJob(job, { ...deps, budget, agent, log: log.child({ queue: 'replies' }) }, token), options),
  ];
  // Long-running platform streams, each led by one worker process at a time.
  const streams = startStreams(config, { db: deps.db, queues, log: log.child({ role: 'streams' }), agent, credentialsKey: deps.credentialsKey });
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      // During an outage every job fails the same way; the outage itself is logged once, when it starts.
      // A reply not sent yet was logged by its sender when it mattered (a platform failure), not while waiting on a lease.
      const level = isBackingServiceOutage(error) || error instanceof ReplyNotSentYet ? 'debug' : 'warn';
      log[level]({ queue: worker.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job failed');
    });
    worker.on('error', (error) => {
      if (!isRedisUnreachable(error)) log.error({ queue: worker.name, err: error.message }, 'worker error');
    });
  }
  return {
    async close() {
      // Let jobs in hand finish; a poll in progress is told to stop between requests.
      // A stream stops consuming at once and commits the batch in hand.
      const closing = Promise.all([...workers.map((w) => w.close()), streams.stop()]);
      setTimeout(() => shutdown.abort(), 10_000).unref();
      await closing;
      await closeRedis(connection);
      await agent.close();
    },
  };
}
