import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { TenantScope } from './tenant-scope.ts';

/** What the outbox holds that has not left yet. */
export interface UnsentDeliveries {
  waiting: number;
  /** Of those, how many failed their last attempt. */
  failing: number;
  oldestCreatedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** The database's clock, so ages are not skewed by this process's. */
  now: Date;
}

/**
 * Unsent deliveries (item alerts and source notices) of the whole instance, or of one
 * caller's scope. Reads only unsent rows, through the partial index on them (alert_deliveries_unsent).
 */
export async function unsentDeliveries(db: Db, scope?: TenantScope): Promise<UnsentDeliveries> {
  let query = db
    .selectFrom('alert_deliveries as d')
    .where('d.status', '<>', 'sent')
    .select([
      sql<string>`count(*)`.as('waiting'),
      sql<string>`count(*) FILTER (WHERE d.last_error IS NOT NULL)`.as('failing'),
      sql<Date | null>`min(d.created_at)`.as('oldest_created_at'),
      sql<string | null>`(array_agg(d.last_error ORDER BY d.last_error_at DESC) FILTER (WHERE d.last_error_at IS NOT NULL))[1]`.as('last_error'),
      sql<Date | null>`max(d.last_error_at)`.as('last_error_at'),
      sql<Date>`now()`.as('now'),
    ]);
  if (scope !== undefined) {
    query = query.where('d.account_id', '=', scope.accountId);
    if (scope.businessIds !== null) {
      // A delivery belongs to its item's business, or to its source's for a source notice.
      query = query
        .leftJoin('items as i', 'i.id', 'd.item_id')
        .leftJoin('sources as s', 's.id', 'd.source_id')
        .where(sql<boolean>`coalesce(i.business_id, s.business_id) = any(${[...scope.businessIds]}::uuid[])`);
    }
  }
  const row = await query.executeTakeFirstOrThrow();
  return {
    waiting: Number(row.waiting),
    failing: Number(row.failing),
    oldestCreatedAt: row.oldest_created_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    now: row.now,
  };
}
