import { sql, type RawBuilder } from 'kysely';
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
 * Deliveries of the caller's scope: its account, and when it is limited to some businesses,
 * those whose item's or source's business is one of them.
 */
function inScope(scope: TenantScope): RawBuilder<boolean> {
  const ofAccount = sql<boolean>`d.account_id = ${scope.accountId}`;
  if (scope.businessIds === null) return ofAccount;
  return sql<boolean>`${ofAccount} AND coalesce(
    (SELECT i.business_id FROM items i WHERE i.id = d.item_id),
    (SELECT s.business_id FROM sources s WHERE s.id = d.source_id)
  ) = any(${[...scope.businessIds]}::uuid[])`;
}

/**
 * Unsent deliveries (item alerts and source notices) of the whole instance, or of one
 * caller's scope. Reads only unsent rows, through the partial index on them (alert_deliveries_unsent).
 * A delivery settled as `unknown` no longer waits for anything: see unknownOutcomes.
 */
export async function unsentDeliveries(db: Db, scope?: TenantScope): Promise<UnsentDeliveries> {
  let query = db
    .selectFrom('alert_deliveries as d')
    .where('d.status', '<>', 'sent')
    .where('d.status', '<>', 'unknown')
    .select([
      sql<string>`count(*)`.as('waiting'),
      sql<string>`count(*) FILTER (WHERE d.last_error IS NOT NULL)`.as('failing'),
      sql<Date | null>`min(d.created_at)`.as('oldest_created_at'),
      sql<string | null>`(array_agg(d.last_error ORDER BY d.last_error_at DESC) FILTER (WHERE d.last_error_at IS NOT NULL))[1]`.as('last_error'),
      sql<Date | null>`max(d.last_error_at)`.as('last_error_at'),
      sql<Date>`now()`.as('now'),
    ]);
  if (scope !== undefined) query = query.where(inScope(scope));
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

/** A channel send nobody can say arrived: never resent by itself, kept for an owner to look at. */
export interface UnknownOutcome {
  deliveryId: string;
  itemId: string | null;
  sourceId: string | null;
  channelId: string | null;
  reason: string | null;
  at: Date;
}

/** How many deliveries of the scope ended `unknown`, and the latest of them, newest first. */
export async function unknownOutcomes(db: Db, scope: TenantScope, limit = 20): Promise<{ count: number; latest: UnknownOutcome[] }> {
  const [counted, rows] = await Promise.all([
    db
      .selectFrom('alert_deliveries as d')
      .where('d.status', '=', 'unknown')
      .where(inScope(scope))
      .select(sql<string>`count(*)`.as('count'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('alert_deliveries as d')
      .where('d.status', '=', 'unknown')
      .where(inScope(scope))
      .select(['d.id', 'd.item_id', 'd.source_id', 'd.channel_id', 'd.last_error', 'd.updated_at'])
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id')
      .limit(limit)
      .execute(),
  ]);
  return {
    count: Number(counted.count),
    latest: rows.map((row) => ({
      deliveryId: row.id,
      itemId: row.item_id,
      sourceId: row.source_id,
      channelId: row.channel_id,
      reason: row.last_error,
      at: row.updated_at,
    })),
  };
}
