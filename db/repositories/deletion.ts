import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/** What deleting a business or a source takes with it, row counts per kind. */
export interface DeletionCounts {
  businesses: number;
  sources: number;
  items: number;
  /** Timeline events of those items. */
  events: number;
  /** Earlier versions of edited items. */
  revisions: number;
  /** Item alerts and source notices, sent or not. */
  alertDeliveries: number;
  reReviewRequests: number;
  /** Platform pages kept for inspection. */
  badPages: number;
  /** Items kept aside because they could not be stored. */
  skippedItems: number;
  /** Keys limited to the deleted business only, which could see nothing afterwards. */
  keysRevoked: number;
}

export type DeletionTarget = { kind: 'business'; id: string } | { kind: 'source'; id: string };

/**
 * Locks the business or source (within the caller's scope) against concurrent
 * changes, and returns its name (a source's is its type), or undefined when the
 * scope cannot see it. Run inside the deleting transaction: while the row is locked,
 * no poll can add items under it.
 */
export async function lockDeletionTarget(trx: Kysely<Database>, scope: TenantScope, target: DeletionTarget): Promise<string | undefined> {
  if (target.kind === 'business') {
    const row = await trx
      .selectFrom('businesses')
      .select('name')
      .where('id', '=', target.id)
      .where('account_id', '=', scope.accountId)
      .where(inBusinessScope('businesses.id', scope))
      .forUpdate()
      .executeTakeFirst();
    return row?.name;
  }
  const row = await trx
    .selectFrom('sources')
    .select('type')
    .where('id', '=', target.id)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('sources.business_id', scope))
    .forUpdate()
    .executeTakeFirst();
  return row?.type;
}

function filters(target: DeletionTarget): { items: RawBuilder<boolean>; sources: RawBuilder<boolean> } {
  return target.kind === 'business'
    ? { items: sql<boolean>`i.business_id = ${target.id}`, sources: sql<boolean>`s.business_id = ${target.id}` }
    : { items: sql<boolean>`i.source_id = ${target.id}`, sources: sql<boolean>`s.id = ${target.id}` };
}

/** A key limited to this business and no other. */
function onlyBusiness(businessId: string): RawBuilder<boolean> {
  return sql<boolean>`${businessId}::uuid = any(business_ids) AND cardinality(array_remove(business_ids, ${businessId}::uuid)) = 0`;
}

/** Counts every row that goes with the target, through each foreign key that cascades from it. */
export async function countDeletion(db: Kysely<Database>, accountId: string, target: DeletionTarget): Promise<DeletionCounts> {
  const where = filters(target);
  const businessOnly = target.kind === 'business';
  const row = await sql<Record<keyof DeletionCounts, string>>`
    SELECT
      ${businessOnly ? sql`1` : sql`0`} AS businesses,
      (SELECT count(*) FROM sources s WHERE ${where.sources}) AS sources,
      (SELECT count(*) FROM items i WHERE ${where.items}) AS items,
      (SELECT count(*) FROM item_events e JOIN items i ON i.id = e.item_id WHERE ${where.items}) AS events,
      (SELECT count(*) FROM item_revisions r JOIN items i ON i.id = r.item_id WHERE ${where.items}) AS revisions,
      (SELECT count(*) FROM alert_deliveries d JOIN items i ON i.id = d.item_id WHERE ${where.items})
        + (SELECT count(*) FROM alert_deliveries d JOIN sources s ON s.id = d.source_id WHERE ${where.sources}) AS "alertDeliveries",
      (SELECT count(*) FROM re_review_requests q JOIN items i ON i.id = q.item_id WHERE ${where.items}) AS "reReviewRequests",
      (SELECT count(*) FROM source_bad_pages b JOIN sources s ON s.id = b.source_id WHERE ${where.sources}) AS "badPages",
      (SELECT count(*) FROM skipped_items k JOIN sources s ON s.id = k.source_id WHERE ${where.sources}) AS "skippedItems",
      ${businessOnly ? sql`(SELECT count(*) FROM api_keys k WHERE k.account_id = ${accountId} AND k.revoked_at IS NULL AND ${onlyBusiness(target.id)})` : sql`0`} AS "keysRevoked"
  `.execute(db);
  const counts = row.rows[0]!;
  return Object.fromEntries(Object.entries(counts).map(([kind, count]) => [kind, Number(count)])) as unknown as DeletionCounts;
}

/**
 * Deletes a business: every source, item and what hangs off them go by ON DELETE
 * CASCADE. Keys limited to it lose it from their list; keys limited to it alone are
 * revoked. The items' delete trigger logs their (business, month) chunks, as any write does.
 */
export async function deleteBusinessRows(trx: Kysely<Database>, accountId: string, businessId: string): Promise<void> {
  await trx
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where(onlyBusiness(businessId))
    .execute();
  await trx
    .updateTable('api_keys')
    .set({ business_ids: sql<string[]>`array_remove(business_ids, ${businessId}::uuid)` })
    .where('account_id', '=', accountId)
    .where(sql<boolean>`${businessId}::uuid = any(business_ids)`)
    .execute();
  await trx.deleteFrom('businesses').where('id', '=', businessId).where('account_id', '=', accountId).execute();
}

/** Deletes a source; its items, notices, bad pages and poll state go by ON DELETE CASCADE. */
export async function deleteSourceRow(trx: Kysely<Database>, accountId: string, sourceId: string): Promise<void> {
  await trx.deleteFrom('sources').where('id', '=', sourceId).where('account_id', '=', accountId).execute();
}
