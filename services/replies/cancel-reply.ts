import type { Db } from '../../db/database.ts';
import { cancelScheduledReply, type ReplyRecord } from '../../db/repositories/item-replies.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { ReplyNotCancellable } from './reply-refusals.ts';

/**
 * Takes a reply back during its undo window. Nothing has left for the platform then: the
 * send claims only a `scheduled` reply past its window, and this changes only a
 * `scheduled` one, so exactly one of the two wins. Undefined: no such reply on the item
 * in the scope. Throws ReplyNotCancellable once it is sending or finished.
 */
export async function cancelReply(db: Db, scope: TenantScope, itemId: string, replyId: string): Promise<ReplyRecord | undefined> {
  const result = await cancelScheduledReply(db, scope, itemId, replyId);
  if (result === undefined) return undefined;
  if ('status' in result) throw new ReplyNotCancellable(result.status);
  return result.cancelled;
}
