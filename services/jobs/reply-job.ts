import { DelayedError, type Job } from 'bullmq';
import { ReplyNotSentYet, sendReply, type SendOutcome, type SendReplyDeps } from '../replies/send-reply.ts';
import type { ReplyJobData } from './queues.ts';

/**
 * Sends one reply at most once (services/replies/send-reply.ts). BullMQ retries what could
 * not be sent yet with the alert backoff; a platform that said how long to wait is asked
 * again after exactly that, without spending an attempt.
 */
export async function runReplyJob(job: Job<ReplyJobData>, deps: SendReplyDeps, token: string | undefined): Promise<SendOutcome> {
  try {
    return await sendReply(job.data.replyId, deps);
  } catch (error) {
    if (error instanceof ReplyNotSentYet && error.retryAfterMs !== null && token !== undefined) {
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
    throw error;
  }
}
