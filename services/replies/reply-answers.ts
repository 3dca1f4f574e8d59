import type { CurrentReply, PublishedReply } from '../../connectors/reply-contract.ts';
import type { Db } from '../../db/database.ts';
import { insertItemEvents } from '../../db/repositories/item-events.ts';
import { finishReply, lockRepliedItem, setItemOwnerReply, setOwnerReplyText, type ClaimedReply, type RepliedItem } from '../../db/repositories/item-replies.ts';
import { earliest, firstResponseAfter, platformReplyTime, storedFirstResponse, type ResponseSource } from '../inbox/first-response.ts';
import { nextStatus } from '../inbox/item-status.ts';

/**
 * What a reply's outcome does to its item, in one transaction with the reply's own
 * status: a published reply is the item's answer (the earliest-answer rule of
 * services/inbox/first-response.ts, dated when the platform accepted it), and an owner
 * reply found on the platform instead is recorded as a poll would have.
 */

/** The answer the item gets: its owner reply, its status, and its first response after `answer`. */
function answered(item: RepliedItem, answer: { at: Date; source: ResponseSource }) {
  const known = storedFirstResponse({ first_response_at: item.firstResponseAt, first_response_source: item.firstResponseSource });
  const first = firstResponseAfter(known, answer);
  return {
    status: nextStatus(item.status, { kind: 'respond' }),
    respondedAt: earliest(item.respondedAt, answer.at),
    firstResponseAt: first.at,
    firstResponseSource: first.source,
  };
}

/**
 * Records a reply the platform took (published, or waiting for its moderation), unless
 * the claim was lost to another worker. False: nothing was recorded.
 */
export async function recordPublished(db: Db, reply: ClaimedReply, published: PublishedReply, requestedAt: Date): Promise<boolean> {
  const at = platformReplyTime(published.at, requestedAt);
  return db.transaction().execute(async (trx) => {
    const status = published.state === 'rejected' ? 'rejected' : published.state;
    const finished = await finishReply(trx, reply, {
      status,
      reason: published.reason,
      publishedAt: status === 'rejected' ? null : at,
      platformReplyId: published.platformReplyId,
      platformReplyUrl: published.url,
    });
    if (!finished || status === 'rejected') return finished;
    const item = await lockRepliedItem(trx, reply.itemId);
    if (item === undefined) return finished;
    await setItemOwnerReply(trx, reply.itemId, { text: reply.text, at, ...answered(item, { at, source: 'reply' }) });
    const data = { replyId: reply.id, text: reply.text, state: status, ...(reply.replaces !== null && { replaces: reply.replaces }) };
    await insertItemEvents(trx, [{ itemId: reply.itemId, accountId: reply.accountId, type: 'replied', actor: reply.author, data, at }]);
    return true;
  });
}

/**
 * Stops a reply that would have overwritten an owner reply sent outside Earshot, and shows
 * that reply on the item: the first sighting counts as the platform's answer, as in ingest.
 */
export async function recordStopped(db: Db, reply: ClaimedReply, reason: string, shown: CurrentReply | null, seenAt: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const finished = await finishReply(trx, reply, { status: 'stopped', reason, publishedAt: null, platformReplyId: null, platformReplyUrl: null });
    if (!finished || shown === null) return finished;
    const item = await lockRepliedItem(trx, reply.itemId);
    if (item === undefined) return finished;
    // Already answered on the platform: only the words shown change (a colleague edited the reply there).
    if (item.ownerReplyAt !== null) {
      await setOwnerReplyText(trx, reply.itemId, shown.text);
      return finished;
    }
    const at = platformReplyTime(shown.at, seenAt);
    await setItemOwnerReply(trx, reply.itemId, { text: shown.text, at, ...answered(item, { at, source: 'platform' }) });
    await insertItemEvents(trx, [{ itemId: reply.itemId, accountId: reply.accountId, type: 'platform_reply_seen', actor: 'platform', data: { text: shown.text }, at }]);
    return true;
  });
}
