import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/**
 * When each source is next due, for the owner's sources page. Not part of SourceRecord:
 * the API does not show it, and it moves with every poll.
 */
export async function nextPollTimes(db: Kysely<Database>, scope: TenantScope, sourceIds: readonly string[]): Promise<Map<string, Date>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'next_poll_at'])
    .where('id', 'in', [...sourceIds])
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('sources.business_id', scope))
    .execute();
  return new Map(rows.map((row) => [row.id, row.next_poll_at]));
}
