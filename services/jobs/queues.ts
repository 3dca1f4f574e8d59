import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis, createRedisConnection } from '../runtime/redis-connection.ts';
import { isRedisUnreachable } from '../runtime/redis-errors.ts';
import { watchRedis } from '../runtime/redis-watch.ts';

/**
 * Every job Earshot runs, declared in one place. Jobs carry batches (one source,
 * one ingested page, one page's alerts) and deterministic ids, so a duplicate
 * enqueue collapses into the job that is already there.
 */
export interface PollJobData {
  sourceId: string;
  /** The `next_poll_at` this poll is for, ISO 8601: one poll per source and slot. */
  slot: string;
}
export interface AnalyzeJobData {
  itemIds: string[];
}
export interface AlertJobData {
  deliveryIds: string[];
}
/** One reply per job: its undo window is the job's delay. */
export interface ReplyJobData {
  replyId: string;
}

export const QUEUE_NAMES = { poll: 'poll', analyze: 'analyze', alert: 'alert', replies: 'replies' } as const;

export interface Queues {
  poll: Queue<PollJobData>;
  analyze: Queue<AnalyzeJobData>;
  alert: Queue<AlertJobData>;
  replies: Queue<ReplyJobData>;
  /** The Redis connection the queues share (BullMQ requires `maxRetriesPerRequest: null`). */
  connection: Redis;
  prefix: string;
  close(): Promise<void>;
}

/** Job ids may not contain ':' (BullMQ's key separator). */
function idPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export const jobIds = {
  poll: (sourceId: string, slot: string) => `poll-${sourceId}-${idPart(slot)}`,
  analyze: (origin: string, page: number) => `analyze-${idPart(origin)}-p${page}`,
  alert: (origin: string) => `alert-${idPart(origin)}`,
  /** `round` 0 is the job written with the reply; the reconciler's later rounds get their own ids, as a finished job's id is kept a day. */
  reply: (replyId: string, round = 0) => (round === 0 ? `reply-${idPart(replyId)}` : `reply-${idPart(replyId)}-r${round}`),
};

// Completed ids are kept for a day so a late duplicate enqueue of the same id is a no-op.
const KEEP_COMPLETED = { age: 24 * 3600, count: 100_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600 };

/** `log`: where a lost and recovered Redis is reported, once per change (without it, errors are only kept quiet). */
export function createQueues(redisUrl: string, prefix = 'earshot', log?: Logger): Queues {
  const connection = createRedisConnection(redisUrl);
  const watch = log ? watchRedis(connection, redisUrl, log) : undefined;
  if (!watch) connection.on('error', () => undefined);
  const defaultJobOptions: JobsOptions = { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED };
  const poll = new Queue<PollJobData>(QUEUE_NAMES.poll, { connection, prefix, defaultJobOptions });
  const analyze = new Queue<AnalyzeJobData>(QUEUE_NAMES.analyze, { connection, prefix, defaultJobOptions });
  const alert = new Queue<AlertJobData>(QUEUE_NAMES.alert, { connection, prefix, defaultJobOptions });
  const replies = new Queue<ReplyJobData>(QUEUE_NAMES.replies, { connection, prefix, defaultJobOptions });
  // BullMQ prints errors nobody listens to; an unreachable Redis is the watch's to report, once.
  for (const queue of [poll, analyze, alert, replies] as Queue[]) {
    queue.on('error', (error) => {
      if (!isRedisUnreachable(error)) log?.warn({ queue: queue.name, err: error.message }, 'queue error');
    });
  }
  return {
    poll,
    analyze,
    alert,
    replies,
    connection,
    prefix,
    async close() {
      watch?.stop();
      // Queue.close() waits on Redis; while it is away, there is nothing to close politely.
      if (connection.status === 'ready') await Promise.all([poll.close(), analyze.close(), alert.close(), replies.close()]);
      await closeRedis(connection);
    },
  };
}

/** Retry policy per queue: how many attempts, with exponential backoff capped by config. */
export function retryOptions(attempts: number): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return { attempts, backoff: { type: 'capped-exponential' } };
}
