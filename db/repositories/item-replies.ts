import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { claimColumns, secondsAgo } from './outbox-claims.ts';
import type { Database, ItemRepliesTable, ItemStatus, ReplyStatus } from '../schema.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/**
 * The replies outbox (item_replies): a reply is a row here before anything is sent,
 * claimed with a lease while it is being sent, and finished with what the platform
 * said. The rules (what may be sent, what counts as the item's response) live in
 * services/replies/; this file only reads and writes what they decided.
 */

type Tx = Transaction<Database>;
type ReplyRow = Selectable<ItemRepliesTable>;

/** A reply as the person who wrote it (and the API) sees it. */
export interface ReplyRecord {
  id: string;
  itemId: string;
  text: string;
  /** The reply this one updates; null: it answers an item without a reply from Earshot. */
  replaces: string | null;
  status: ReplyStatus;
  /** Why it was rejected, failed or stopped, in words for the person. */
  reason: string | null;
  /** The end of the undo window. */
  sendAt: Date;
  publishedAt: Date | null;
  platformReplyUrl: string | null;
  author: string;
  createdAt: Date;
}

function toRecord(row: ReplyRow): ReplyRecord {
  return {
    id: row.id,
    itemId: row.item_id,
    text: row.text,
    replaces: row.replaces,
    status: row.status,
    reason: row.reason,
    sendAt: row.send_at,
    publishedAt: row.published_at,
    platformReplyUrl: row.platform_reply_url,
    author: row.author,
    createdAt: row.created_at,
  };
}

/** The item's replies, newest last; empty when the item is outside the scope. */
export async function listReplies(db: Kysely<Database>, scope: TenantScope, itemId: string): Promise<ReplyRecord[]> {
  const rows = await db
    .selectFrom('item_replies')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('item_replies.business_id', scope))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** What a reply answers, with the source that reads it: the connector's `ReplyTarget` and settings. */
export interface ReplySubject {
  itemId: string;
  accountId: string;
  businessId: string;
  externalId: string;
  url: string | null;
  raw: unknown;
  publishedAt: Date | null;
  hasText: boolean;
  ownerReplyText: string | null;
  source: { id: string; type: string; config: Record<string, unknown>; credentials: string | null };
}

const SUBJECT_COLUMNS = [
  'i.id as item_id', 'i.account_id', 'i.business_id', 'i.external_id', 'i.url', 'i.raw', 'i.published_at', 'i.body', 'i.title', 'i.owner_reply_text',
  's.id as source_id', 's.type as source_type', 's.config as source_config', 's.credentials as source_credentials',
] as const;

type SubjectRow = {
  item_id: string; account_id: string; business_id: string; external_id: string; url: string | null; raw: unknown; published_at: Date | null;
  body: string; title: string | null; owner_reply_text: string | null;
  source_id: string; source_type: string; source_config: Record<string, unknown>; source_credentials: string | null;
};

function toSubject(row: SubjectRow): ReplySubject {
  return {
    itemId: row.item_id,
    accountId: row.account_id,
    businessId: row.business_id,
    externalId: row.external_id,
    url: row.url,
    raw: row.raw,
    publishedAt: row.published_at,
    hasText: row.body.trim() !== '' || (row.title ?? '').trim() !== '',
    ownerReplyText: row.owner_reply_text,
    source: { id: row.source_id, type: row.source_type, config: row.source_config, credentials: row.source_credentials },
  };
}

/** The item in the caller's scope and its source, or undefined. */
export async function findReplySubject(db: Kysely<Database>, scope: TenantScope, itemId: string): Promise<ReplySubject | undefined> {
  const row = await db
    .selectFrom('items as i')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select(SUBJECT_COLUMNS)
    .where('i.id', '=', itemId)
    .where('i.account_id', '=', scope.accountId)
    .where(inBusinessScope('i.business_id', scope))
    .executeTakeFirst();
  return row && toSubject(row as SubjectRow);
}

/** Where an item's replies stand: the last one the platform accepted, and whether another is on its way. */
export interface ItemReplyState {
  /** The item's current Earshot reply: the newest published (or awaiting moderation). */
  current: { id: string; text: string; platformReplyId: string | null } | null;
  /** A reply scheduled or being sent: a second one now would cross it. */
  inFlight: { id: string; status: ReplyStatus } | null;
}

/**
 * Locks the item (in the caller's scope) for the rest of the transaction, so two people
 * replying at once are decided one after the other; undefined outside the scope.
 */
export async function lockItemReplyState(trx: Tx, scope: TenantScope, itemId: string): Promise<ItemReplyState | undefined> {
  const item = await trx
    .selectFrom('items')
    .select('id')
    .where('id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .forUpdate()
    .executeTakeFirst();
  if (item === undefined) return undefined;
  return replyStateOf(trx, itemId);
}

async function replyStateOf(db: Kysely<Database>, itemId: string): Promise<ItemReplyState> {
  const newest = (statuses: ReplyStatus[]) =>
    db
      .selectFrom('item_replies')
      .select(['id', 'text', 'status', 'platform_reply_id'])
      .where('item_id', '=', itemId)
      .where('status', 'in', statuses)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  const [current, inFlight] = await Promise.all([newest(['published', 'pending_moderation']), newest(['scheduled', 'sending'])]);
  return {
    current: current ? { id: current.id, text: current.text, platformReplyId: current.platform_reply_id } : null,
    inFlight: inFlight ? { id: inFlight.id, status: inFlight.status } : null,
  };
}

export interface NewReply {
  accountId: string;
  businessId: string;
  itemId: string;
  text: string;
  replaces: string | null;
  author: string;
  authorUserId: string | null;
  /** Seconds from the database's now until the undo window ends. */
  undoSeconds: number;
}

/** Writes a scheduled reply; its undo window is counted on the database's clock, like the lease. */
export async function insertReply(trx: Tx, reply: NewReply): Promise<ReplyRecord> {
  const row = await trx
    .insertInto('item_replies')
    .values({
      account_id: reply.accountId,
      business_id: reply.businessId,
      item_id: reply.itemId,
      text: reply.text,
      replaces: reply.replaces,
      author: reply.author,
      author_user_id: reply.authorUserId,
      send_at: sql<Date>`now() + make_interval(secs => ${reply.undoSeconds})`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Takes back a reply still in its undo window; `undefined` when it is not the item's or not in scope, `status` when it is past cancelling. */
export async function cancelScheduledReply(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  replyId: string,
): Promise<{ cancelled: ReplyRecord } | { status: ReplyStatus } | undefined> {
  const cancelled = await db
    .updateTable('item_replies')
    .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
    .where('id', '=', replyId)
    .where('item_id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('item_replies.business_id', scope))
    .where('status', '=', 'scheduled')
    .returningAll()
    .executeTakeFirst();
  if (cancelled) return { cancelled: toRecord(cancelled) };
  const row = await db
    .selectFrom('item_replies')
    .select('status')
    .where('id', '=', replyId)
    .where('item_id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('item_replies.business_id', scope))
    .executeTakeFirst();
  return row && { status: row.status };
}

/** A reply taken for sending: only the holder of `claimToken` may finish or release it. */
export interface ClaimedReply {
  id: string;
  claimToken: string;
  attempts: number;
  accountId: string;
  itemId: string;
  text: string;
  replaces: string | null;
  author: string;
}

export type ReplyClaim =
  | { kind: 'claimed'; reply: ClaimedReply }
  /** Still in its undo window: nothing to send yet. */
  | { kind: 'not_due' }
  /** Published, refused, stopped or cancelled: nothing to send ever. */
  | { kind: 'finished' }
  | { kind: 'held_elsewhere' }
  | { kind: 'missing' };

/**
 * Takes a reply for sending once its undo window has passed. A reply claimed by a worker
 * that died is taken over once its lease has run out (the sender then reads the platform
 * before publishing, so the dead worker's post, if it happened, is found, not repeated).
 */
export async function claimReply(db: Kysely<Database>, replyId: string, leaseSeconds: number): Promise<ReplyClaim> {
  const claimed = await db
    .updateTable('item_replies')
    .set(claimColumns())
    .where('id', '=', replyId)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'scheduled'), eb('send_at', '<=', sql<Date>`now()`)]),
        // Released after a failure (no holder), or held by a worker whose lease ran out.
        eb.and([
          eb('status', '=', 'sending'),
          eb.or([eb('claim_token', 'is', null), eb('claimed_at', '<', secondsAgo(leaseSeconds))]),
        ]),
      ]),
    )
    .returning(['id', 'claim_token', 'attempts', 'account_id', 'item_id', 'text', 'replaces', 'author'])
    .executeTakeFirst();
  if (claimed) {
    return {
      kind: 'claimed',
      reply: {
        id: claimed.id,
        claimToken: claimed.claim_token as string,
        attempts: claimed.attempts,
        accountId: claimed.account_id,
        itemId: claimed.item_id,
        text: claimed.text,
        replaces: claimed.replaces,
        author: claimed.author,
      },
    };
  }
  const row = await db.selectFrom('item_replies').select('status').where('id', '=', replyId).executeTakeFirst();
  if (!row) return { kind: 'missing' };
  if (row.status === 'scheduled') return { kind: 'not_due' };
  return row.status === 'sending' ? { kind: 'held_elsewhere' } : { kind: 'finished' };
}

/** The item and source a claimed reply answers (no scope: the claim is the authority), and the reply it replaces. */
export async function loadClaimedSubject(
  db: Kysely<Database>,
  reply: ClaimedReply,
): Promise<{ subject: ReplySubject; replaced: { text: string; platformReplyId: string | null } | null } | undefined> {
  const row = await db
    .selectFrom('items as i')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select(SUBJECT_COLUMNS)
    .where('i.id', '=', reply.itemId)
    .executeTakeFirst();
  if (!row) return undefined;
  const replaced =
    reply.replaces === null
      ? undefined
      : await db.selectFrom('item_replies').select(['text', 'platform_reply_id']).where('id', '=', reply.replaces).executeTakeFirst();
  return { subject: toSubject(row as SubjectRow), replaced: replaced ? { text: replaced.text, platformReplyId: replaced.platform_reply_id } : null };
}

/**
 * Gives a reply back after a passing failure, so the next retry can claim it at once. It
 * stays `sending`: the platform may have taken it before the failure, so it can no longer
 * be cancelled, and the next attempt reads the platform before publishing.
 */
export async function releaseReply(db: Kysely<Database>, reply: ClaimedReply, error: string): Promise<void> {
  await db
    .updateTable('item_replies')
    .set({ claim_token: null, claimed_at: null, last_error: error.slice(0, 1000), updated_at: sql<Date>`now()` })
    .where('id', '=', reply.id)
    .where('claim_token', '=', reply.claimToken)
    .execute();
}

export type FinalReplyStatus = Extract<ReplyStatus, 'published' | 'pending_moderation' | 'rejected' | 'failed' | 'stopped'>;

export interface ReplyOutcome {
  status: FinalReplyStatus;
  reason: string | null;
  publishedAt: Date | null;
  platformReplyId: string | null;
  platformReplyUrl: string | null;
}

/** Finishes a claimed reply; false when the claim was lost (another worker took the lease over). */
export async function finishReply(db: Kysely<Database>, reply: ClaimedReply, outcome: ReplyOutcome): Promise<boolean> {
  const row = await db
    .updateTable('item_replies')
    .set({
      status: outcome.status,
      reason: outcome.reason?.slice(0, 1000) ?? null,
      published_at: outcome.publishedAt,
      platform_reply_id: outcome.platformReplyId,
      platform_reply_url: outcome.platformReplyUrl,
      claim_token: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', reply.id)
    .where('claim_token', '=', reply.claimToken)
    .where('status', '=', 'sending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** What the response rules need to know of an item a reply answered (or found answered). */
export interface RepliedItem {
  status: ItemStatus;
  respondedAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseSource: NonNullable<Database['items']['first_response_source']> | null;
  ownerReplyAt: Date | null;
}

/** The item's row, locked for the rest of the transaction. */
export async function lockRepliedItem(trx: Tx, itemId: string): Promise<RepliedItem | undefined> {
  const row = await trx
    .selectFrom('items')
    .select(['status', 'responded_at', 'first_response_at', 'first_response_source', 'owner_reply_at'])
    .where('id', '=', itemId)
    .forUpdate()
    .executeTakeFirst();
  return (
    row && {
      status: row.status,
      respondedAt: row.responded_at,
      firstResponseAt: row.first_response_at,
      firstResponseSource: row.first_response_source,
      ownerReplyAt: row.owner_reply_at,
    }
  );
}

/**
 * Writes the owner reply the platform shows (ours once published, or a colleague's found
 * before sending), with the answer it counts as. A later poll that sees the same reply
 * finds `owner_reply_at` set and counts nothing again.
 */
export async function setItemOwnerReply(
  trx: Tx,
  itemId: string,
  answer: {
    text: string;
    at: Date;
    status: ItemStatus;
    respondedAt: Date | null;
    firstResponseAt: Date | null;
    firstResponseSource: RepliedItem['firstResponseSource'];
  },
): Promise<void> {
  await trx
    .updateTable('items')
    .set({
      owner_reply_text: answer.text,
      owner_reply_at: answer.at,
      status: answer.status,
      responded_at: answer.respondedAt,
      first_response_at: answer.firstResponseAt,
      first_response_source: answer.firstResponseSource,
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId)
    .execute();
}

/** The owner reply's words as the platform shows them now; when it was first seen stays. */
export async function setOwnerReplyText(trx: Tx, itemId: string, text: string): Promise<void> {
  await trx.updateTable('items').set({ owner_reply_text: text, updated_at: sql`now()` }).where('id', '=', itemId).execute();
}

/**
 * Replies due and unfinished that nothing is working on: never tried and past their send
 * time by more than `graceSeconds` (their job was lost), released and idle for longer than
 * `idleSeconds`, or sending past the lease (their worker died). The reconciler's list.
 */
export async function listStrandedReplies(
  db: Kysely<Database>,
  windows: { graceSeconds: number; idleSeconds: number; leaseSeconds: number },
  limit = 1000,
): Promise<Array<{ id: string; attempts: number }>> {
  return db
    .selectFrom('item_replies')
    .select(['id', 'attempts'])
    .where((eb) =>
      eb.or([
        // Never tried: its delayed job was lost with Redis.
        eb.and([eb('status', '=', 'scheduled'), eb('attempts', '=', 0), eb('send_at', '<', secondsAgo(windows.graceSeconds))]),
        // Released after a failure and untouched for longer than any retry would wait.
        eb.and([eb('status', '=', 'sending'), eb('claim_token', 'is', null), eb('updated_at', '<', secondsAgo(windows.idleSeconds))]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', secondsAgo(windows.leaseSeconds))]),
      ]),
    )
    .orderBy('send_at')
    .limit(limit)
    .execute();
}

/** A reply's standing as the platform's moderation decides it. */
export type ModerationStatus = Extract<ReplyStatus, 'published' | 'pending_moderation' | 'rejected'>;

/** An Earshot reply the platform took: published, or waiting for its moderation. */
export interface AcceptedReply {
  id: string;
  itemId: string;
  text: string;
  status: Extract<ReplyStatus, 'published' | 'pending_moderation'>;
  reason: string | null;
}

/**
 * The replies these items have on the platform from Earshot, newest first within each
 * item: what a poll's sighting of an owner reply is matched against.
 */
export async function listAcceptedReplies(trx: Tx, itemIds: readonly string[]): Promise<AcceptedReply[]> {
  if (itemIds.length === 0) return [];
  const rows = await trx
    .selectFrom('item_replies')
    .select(['id', 'item_id', 'text', 'status', 'reason'])
    .where('item_id', 'in', [...new Set(itemIds)])
    .where('status', 'in', ['published', 'pending_moderation'])
    .orderBy('item_id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id, itemId: row.item_id, text: row.text, status: row.status as AcceptedReply['status'], reason: row.reason }));
}

/**
 * Moves an accepted reply to what the platform's moderation now says. Only a reply still
 * published or pending moves: one finished otherwise meanwhile (replaced, removed) stays
 * as it is. False when it was no longer accepted.
 */
export async function setReplyModeration(trx: Tx, replyId: string, status: ModerationStatus, reason: string | null): Promise<boolean> {
  const row = await trx
    .updateTable('item_replies')
    .set({ status, reason: reason?.slice(0, 1000) ?? null, updated_at: sql<Date>`now()` })
    .where('id', '=', replyId)
    .where('status', 'in', ['published', 'pending_moderation'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
