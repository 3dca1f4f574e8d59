import { jobIds, retryOptions, type Queues } from '../jobs/queues.ts';

/** A reply is retried while the platform is away; its row says when to stop (services/replies/send-reply.ts). */
export const REPLY_ATTEMPTS = 20;

/**
 * Queues the reply's send for the end of its undo window. `round` > 0: the reconciler's
 * later tries, each under its own id (a finished job's id is kept for a day).
 */
export async function enqueueReply(queues: Queues, reply: { id: string; sendAt: Date }, round = 0): Promise<void> {
  const delay = Math.max(0, reply.sendAt.getTime() - Date.now());
  await queues.replies.add('reply', { replyId: reply.id }, { jobId: jobIds.reply(reply.id, round), delay, ...retryOptions(REPLY_ATTEMPTS) });
}
