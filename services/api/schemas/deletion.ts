import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../db/repositories/tenant-scope.ts';
import type { Database } from '../../../db/schema.ts';
import { deleteWatched, type DeletionCounts, type DeletionOutcome, type DeletionTarget } from '../../sources/delete-watched.ts';
import { invalidInput, notFound } from '../errors.ts';
import { count, isUuid } from './common.ts';

const countProperties = {
  businesses: count('1 when a business was deleted, 0 for a source'),
  sources: count('Sources deleted'),
  items: count('Reviews and mentions deleted'),
  events: count('Timeline events of those items'),
  revisions: count('Earlier versions of edited items'),
  alertDeliveries: count('Item alerts and source notices, sent or waiting'),
  reReviewRequests: count('Re-review requests of those items'),
  badPages: count('Platform pages kept for inspection'),
  skippedItems: count('Items kept aside because they could not be stored'),
  keysRevoked: count('API keys limited to the deleted business alone (keys limited to it among others just lose it)'),
} as const;

/** The 200 answer of `DELETE /v1/businesses/:id` and `DELETE /v1/sources/:id`. */
export const deletionSummarySchema = {
  description: 'Deleted, with everything recorded under it; counts of what was removed',
  type: 'object',
  required: ['id', 'deleted'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    deleted: { type: 'object', required: Object.keys(countProperties), additionalProperties: false, properties: countProperties },
  },
} as const;

export interface DeletionSummaryJson {
  id: string;
  deleted: DeletionCounts;
}

/** `?confirm=<id>`: the caller repeats the id, so a stray DELETE deletes nothing. */
export const confirmQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    confirm: { type: 'string', maxLength: 100, description: 'The id being deleted, repeated; without it nothing is deleted and the 400 says what would be' },
  },
} as const;

export interface ConfirmQuery {
  confirm?: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "the business "Cafe" with 2 sources, 130 items, …": what a confirmation would delete. */
function describeDeletion(target: DeletionTarget, name: string, counts: DeletionCounts): string {
  const parts = [
    ...(target.kind === 'business' ? [plural(counts.sources, 'source')] : []),
    plural(counts.items, 'item'),
    plural(counts.events, 'timeline event'),
    plural(counts.revisions, 'revision'),
    plural(counts.alertDeliveries, 'alert delivery', 'alert deliveries'),
    plural(counts.reReviewRequests, 're-review request'),
    plural(counts.badPages, 'kept bad page'),
    plural(counts.skippedItems, 'item kept aside', 'items kept aside'),
  ];
  const what = target.kind === 'business' ? `the business "${name}"` : `the ${name} source`;
  const keys = counts.keysRevoked > 0 ? `; ${plural(counts.keysRevoked, 'API key')} limited to this business alone would be revoked` : '';
  return `${what} with ${parts.join(', ')}${keys}`;
}

/** Runs a DELETE route: the summary, or the 404 / 400 (naming `query.confirm`) the outcome calls for. */
export async function answerDeletion(db: Kysely<Database>, scope: TenantScope, target: DeletionTarget, confirm: string | undefined): Promise<DeletionSummaryJson> {
  return presentDeletion(target, isUuid(target.id) ? await deleteWatched(db, scope, target, confirm) : { outcome: 'not_found' });
}

function presentDeletion(target: DeletionTarget, outcome: DeletionOutcome): DeletionSummaryJson {
  switch (outcome.outcome) {
    case 'not_found':
      throw notFound(target.kind);
    case 'unconfirmed':
      throw invalidInput(
        'query.confirm',
        `query.confirm must repeat the ${target.kind}'s id (?confirm=${target.id}) to delete ${describeDeletion(target, outcome.name, outcome.wouldRemove)}; this cannot be undone`,
      );
    case 'deleted':
      return { id: target.id, deleted: outcome.removed };
  }
}
