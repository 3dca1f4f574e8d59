import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Database, ReReviewChannel, ReReviewRequestsTable, ReReviewStatus } from '../schema.ts';
import { insertItemEventsFrom } from './item-events.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface ReReviewRequestRecord {
  id: string;
  itemId: string;
  businessId: string;
  channel: ReReviewChannel;
  note: string | null;
  requestedBy: string;
  requestedAt: Date;
  status: ReReviewStatus;
  ratingBefore: number | null;
  ratingAfter: number | null;
  closedAt: Date | null;
}

type Row = Selectable<ReReviewRequestsTable>;

function toRecord(row: Row): ReReviewRequestRecord {
  return {
    id: row.id,
    itemId: row.item_id,
    businessId: row.business_id,
    channel: row.channel,
    note: row.note,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    status: row.status,
    ratingBefore: row.rating_before,
    ratingAfter: row.rating_after,
    closedAt: row.closed_at,
  };
}

/** When the item's open request was made, if it has one. */
export async function pendingReReviewSince(trx: Transaction<Database>, itemId: string): Promise<Date | undefined> {
  const pending = await trx
    .selectFrom('re_review_requests')
    .select('requested_at')
    .where('item_id', '=', itemId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return pending?.requested_at;
}

export async function insertReReviewRequest(
  trx: Transaction<Database>,
  request: { accountId: string; businessId: string; itemId: string; channel: ReReviewChannel; note: string | null; requestedBy: string; ratingBefore: number | null },
): Promise<ReReviewRequestRecord> {
  const row = await trx
    .insertInto('re_review_requests')
    .values({
      account_id: request.accountId,
      business_id: request.businessId,
      item_id: request.itemId,
      channel: request.channel,
      note: request.note,
      requested_by: request.requestedBy,
      rating_before: request.ratingBefore,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Every re-review request of one item, newest first; undefined when the item is out of scope. */
export async function listReReviewRequests(db: Kysely<Database>, scope: TenantScope, itemId: string): Promise<ReReviewRequestRecord[] | undefined> {
  const item = await db
    .selectFrom('items')
    .select('id')
    .where('id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .executeTakeFirst();
  if (item === undefined) return undefined;
  const rows = await db
    .selectFrom('re_review_requests')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRecord);
}

export interface SeenRevision {
  itemId: string;
  ratingAfter: number | null;
  /** When the platform says the review was edited, if it says. */
  editedAt: Date | null;
}

/**
 * Records each closed request's outcome in its item's timeline, in the same
 * statement as the close, dated exactly when it closed. `closed` is an
 * `UPDATE … RETURNING *` of re_review_requests; returns how many were closed.
 */
async function closeWithEvents(db: Kysely<Database>, closed: RawBuilder<unknown>, actor: string): Promise<number> {
  const outcomes = insertItemEventsFrom(sql`closed`, {
    type: 're_review_outcome',
    actor,
    data: sql`jsonb_build_object(
      'requestId', id, 'outcome', status, 'ratingBefore', rating_before, 'ratingAfter', rating_after,
      'days', round((extract(epoch FROM closed_at - requested_at) / 86400)::numeric, 2))`,
    at: sql`closed_at`,
  });
  const result = await sql<{ id: string }>`WITH closed AS (${closed}) ${outcomes}`.execute(db);
  return result.rows.length;
}

/**
 * Ingest calls this in the page's transaction: an edited review answers its open
 * request. It is dated by the platform's edit time when that falls after the
 * request, else by when Earshot saw the edit.
 */
export async function closeRequestsAsRevised(tx: Transaction<Database>, revisions: SeenRevision[]): Promise<number> {
  if (revisions.length === 0) return 0;
  const closed = sql`
    UPDATE re_review_requests r
    SET status = 'revised', rating_after = v.rating_after,
      closed_at = CASE WHEN v.edited_at >= r.requested_at AND v.edited_at <= now() THEN v.edited_at ELSE now() END
    FROM unnest(${revisions.map((r) => r.itemId)}::uuid[], ${revisions.map((r) => r.ratingAfter)}::smallint[],
      ${revisions.map((r) => r.editedAt)}::timestamptz[]) AS v(item_id, rating_after, edited_at)
    WHERE r.item_id = v.item_id AND r.status = 'pending'
    RETURNING r.*`;
  return closeWithEvents(tx, closed, 'platform');
}

/**
 * Ingest calls this in the page's transaction when the platform says the review is
 * gone (see `Page.removed`): its open request closes as removed.
 */
export async function closeRequestsAsRemoved(tx: Transaction<Database>, itemIds: string[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  const closed = sql`
    UPDATE re_review_requests SET status = 'removed', closed_at = now()
    WHERE item_id = ANY(${itemIds}::uuid[]) AND status = 'pending'
    RETURNING *`;
  return closeWithEvents(tx, closed, 'platform');
}

/** Every account's requests left unanswered since before `before` become `expired`. */
export async function expireReReviewRequests(db: Kysely<Database>, before: Date): Promise<number> {
  // One statement: the close and its timeline events commit together.
  const closed = sql`
    UPDATE re_review_requests SET status = 'expired', closed_at = now()
    WHERE status = 'pending' AND requested_at < ${before}
    RETURNING *`;
  return closeWithEvents(db, closed, 'system');
}

/** A pending request whose item a poll should look up on its platform. */
export interface AwaitedReview {
  requestId: string;
  externalId: string;
}

/**
 * Up to `limit` of one source's pending requests whose items were not looked up since
 * `checkedBefore`, least recently checked first, so every request gets its turn.
 */
export async function reviewsAwaitingRecheck(db: Kysely<Database>, sourceId: string, checkedBefore: Date, limit: number): Promise<AwaitedReview[]> {
  const rows = await db
    .selectFrom('re_review_requests as r')
    .innerJoin('items as i', 'i.id', 'r.item_id')
    .select(['r.id as requestId', 'i.external_id as externalId'])
    .where('r.status', '=', 'pending')
    .where('i.source_id', '=', sourceId)
    .where('i.removed_at', 'is', null)
    .where((eb) => eb.or([eb('r.last_checked_at', 'is', null), eb('r.last_checked_at', '<', checkedBefore)]))
    .orderBy(sql`r.last_checked_at ASC NULLS FIRST`)
    .orderBy('r.requested_at')
    .limit(limit)
    .execute();
  return rows;
}

/** Notes that these requests' items were just looked up, whatever the platform answered. */
export async function markRechecked(db: Kysely<Database>, requestIds: string[]): Promise<void> {
  if (requestIds.length === 0) return;
  await db.updateTable('re_review_requests').set({ last_checked_at: new Date() }).where('id', 'in', requestIds).execute();
}
