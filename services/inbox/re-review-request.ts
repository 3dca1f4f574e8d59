import type { Kysely } from 'kysely';
import { lockItemInScope } from '../../db/repositories/item-actions.ts';
import { insertItemEvents } from '../../db/repositories/item-events.ts';
import { insertReReviewRequest, pendingReReviewSince, type ReReviewRequestRecord } from '../../db/repositories/re-reviews.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database, ReReviewChannel } from '../../db/schema.ts';

export type ReReviewRequestOutcome =
  | { created: ReReviewRequestRecord }
  | { refused: 'not_resolved'; status: string }
  | { refused: 'already_pending'; since: Date }
  | undefined;

/**
 * Why an item cannot be asked for a re-review now, or null when it can: ask after the
 * fix (the item is resolved), and at most one open request per item, since the review's
 * next revision answers it.
 */
export function reReviewRefusal(
  status: string,
  pendingSince: Date | undefined,
): Exclude<ReReviewRequestOutcome, { created: ReReviewRequestRecord } | undefined> | null {
  if (status !== 'resolved') return { refused: 'not_resolved', status };
  if (pendingSince !== undefined) return { refused: 'already_pending', since: pendingSince };
  return null;
}

/**
 * Records that the customer was asked to update their review, with its timeline entry,
 * in one transaction. Undefined when the item is not in the caller's scope.
 */
export async function askForReReview(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  request: { channel: ReReviewChannel; note?: string | undefined; actor: string },
): Promise<ReReviewRequestOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItemInScope(trx, scope, itemId);
    if (item === undefined) return undefined;
    const refusal = reReviewRefusal(item.status, item.status === 'resolved' ? await pendingReReviewSince(trx, itemId) : undefined);
    if (refusal !== null) return refusal;
    const created = await insertReReviewRequest(trx, {
      accountId: scope.accountId,
      businessId: item.business_id,
      itemId,
      channel: request.channel,
      note: request.note ?? null,
      requestedBy: request.actor,
      ratingBefore: item.rating,
    });
    const data = { requestId: created.id, channel: created.channel, ...(created.note !== null && { note: created.note }) };
    await insertItemEvents(trx, [{ itemId, accountId: scope.accountId, type: 're_review_requested', actor: request.actor, data }]);
    return { created };
  });
}
