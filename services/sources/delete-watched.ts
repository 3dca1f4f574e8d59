import type { Kysely } from 'kysely';
import {
  countDeletion,
  deleteBusinessRows,
  deleteSourceRow,
  lockDeletionTarget,
  type DeletionCounts,
  type DeletionTarget,
} from '../../db/repositories/deletion.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database } from '../../db/schema.ts';

export type { DeletionCounts, DeletionTarget } from '../../db/repositories/deletion.ts';

export type DeletionOutcome =
  | { outcome: 'not_found' }
  /** Nothing was deleted: the caller must repeat the target's id as confirmation. */
  | { outcome: 'unconfirmed'; name: string; wouldRemove: DeletionCounts }
  | { outcome: 'deleted'; name: string; removed: DeletionCounts };

/**
 * Deletes a business or a source with everything recorded under it — sources, items,
 * timeline events, revisions, alert deliveries and source notices, re-review requests,
 * poll state, kept bad pages and items kept aside — in one transaction, once `confirm` repeats its id.
 * Without it, nothing changes and the outcome says what would go.
 *
 * What follows from it, and why nothing more is needed:
 * - Response-time figures: the items' delete trigger logs their (business, month)
 *   chunks to `response_fact_changes` like any other write, so every API process's
 *   cache re-reads those chunks on its next request and the items drop out of its
 *   figures; a deleted business is no longer in scope at all.
 * - Polls: the scheduler only queues sources that exist; a poll job already queued
 *   finds no slot to claim and ends as skipped. A poll in flight fails to store its
 *   page (the source row is gone) and its retry is skipped the same way.
 * - Analysis and alert jobs already queued look their items and deliveries up by id
 *   and find none.
 */
export async function deleteWatched(
  db: Kysely<Database>,
  scope: TenantScope,
  target: DeletionTarget,
  confirm: string | undefined,
): Promise<DeletionOutcome> {
  return db.transaction().execute(async (trx): Promise<DeletionOutcome> => {
    const name = await lockDeletionTarget(trx, scope, target);
    if (name === undefined) return { outcome: 'not_found' };
    const counts = await countDeletion(trx, scope.accountId, target);
    if (confirm?.toLowerCase() !== target.id.toLowerCase()) return { outcome: 'unconfirmed', name, wouldRemove: counts };
    if (target.kind === 'business') await deleteBusinessRows(trx, scope.accountId, target.id);
    else await deleteSourceRow(trx, scope.accountId, target.id);
    return { outcome: 'deleted', name, removed: counts };
  });
}
