import type { Insertable, Transaction } from 'kysely';
import type { NormalizedItem, OwnerReply } from '../../connectors/contract.ts';
import {
  insertItemRevisions,
  insertNewItems,
  lockExistingItems,
  markItemsSeen,
  updateStoredItem,
  type ExistingItem,
  type NewItemRow,
} from '../../db/repositories/ingest.ts';
import { insertItemEvents, type ItemEventType, type NewItemEvent } from '../../db/repositories/item-events.ts';
import { closeRequestsAsRevised } from '../../db/repositories/re-reviews.ts';
import type { Database, ItemRevisionsTable, ItemUpdate } from '../../db/schema.ts';
import { firstResponseAfter, platformReplyTime, storedFirstResponse } from '../inbox/first-response.ts';
import { nextStatus } from '../inbox/item-status.ts';
import { contentHash } from './content-hash.ts';
import { followReplyModeration, type ModerationSighting } from './reply-moderation.ts';

type Tx = Transaction<Database>;

export interface IngestSource {
  id: string;
  account_id: string;
  business_id: string;
}

export interface StoredItems {
  /** New or edited items: the ones the analyze step must (re)judge. */
  toAnalyze: string[];
  inserted: number;
  revised: number;
  repliesSeen: number;
}

const PLATFORM = 'platform' as const;

/** External id → when the platform announced the item (a stream event, a webhook's arrival). */
export type AnnouncedTimes = ReadonlyMap<string, Date>;

/** Every item of one pushed request, announced when the request arrived. */
export function announcedTogether(items: ReadonlyArray<Pick<NormalizedItem, 'externalId'>>, at: Date): AnnouncedTimes {
  return new Map(items.map((item) => [item.externalId, at]));
}

/**
 * Upserts already-normalised items (distinct external ids) with their revisions,
 * platform replies and events, inside the caller's transaction; an owner reply that
 * reports its moderation also moves the Earshot reply it is (reply-moderation.ts).
 * `announced` is written on a new item only: the first announcement is where latency counts from.
 */
export async function storeItems(tx: Tx, source: IngestSource, items: NormalizedItem[], announced: AnnouncedTimes = new Map()): Promise<StoredItems> {
  // Insert first: new items (the common case) cost one statement, and only the ones
  // already stored are read back and compared.
  const inserted = await insertNewItems(tx, source, items.map((item) => newItemRow(item, announced.get(item.externalId) ?? null)));
  const existing = await lockExistingItems(tx, source.id, items.filter((i) => !inserted.has(i.externalId)).map((i) => i.externalId));
  const result: StoredItems = { toAnalyze: [...inserted.values()], inserted: inserted.size, revised: 0, repliesSeen: 0 };
  const events: NewItemEvent[] = [];
  for (const item of items) {
    const id = inserted.get(item.externalId);
    const reply = answeringReply(item);
    if (id === undefined || !reply) continue;
    result.repliesSeen++;
    events.push(event(source, id, 'platform_reply_seen', PLATFORM, { text: reply.text }, reply.at ?? undefined));
  }

  const revisions: Insertable<ItemRevisionsTable>[] = [];
  const unchanged: string[] = [];
  const sightings: ModerationSighting[] = [];
  for (const item of items) {
    const before = existing.get(item.externalId);
    if (!before) continue;
    if (item.ownerReply?.state !== undefined) sightings.push({ itemId: before.id, reply: item.ownerReply });
    const update = changesFor(before, item, revisions, events, source);
    if (update === undefined) {
      unchanged.push(before.id);
      continue;
    }
    if (update.content_hash !== undefined) {
      result.toAnalyze.push(before.id);
      result.revised++;
    }
    if (update.owner_reply_text !== undefined) result.repliesSeen++;
    await updateStoredItem(tx, before.id, update);
  }

  await markItemsSeen(tx, unchanged);
  await followReplyModeration(tx, sightings);
  await insertItemRevisions(tx, revisions);
  await insertItemEvents(tx, events);
  // An edit answers the customer's open re-review request, in the same transaction as the edit.
  await closeRequestsAsRevised(tx, revisions.map((r) => ({ itemId: r.item_id, ratingAfter: r.rating_after ?? null, editedAt: r.platform_updated_at ? new Date(r.platform_updated_at) : null })));
  return result;
}

/**
 * The owner reply that answers the customer: any the platform shows, except one its
 * moderation rejected (the customer never sees it, so nothing was answered).
 */
function answeringReply(item: NormalizedItem): OwnerReply | null {
  const reply = item.ownerReply;
  return reply === null || reply.state === 'rejected' ? null : reply;
}

function newItemRow(item: NormalizedItem, announcedAt: Date | null): NewItemRow {
  const reply = answeringReply(item);
  const replyAt = reply ? platformReplyTime(reply.at, new Date()) : null;
  const first = replyAt === null ? null : firstResponseAfter(null, { at: replyAt, source: PLATFORM });
  return {
    kind: item.kind,
    external_id: item.externalId,
    url: item.url,
    author: item.author,
    rating: item.rating,
    title: item.title,
    body: item.body,
    language: item.language,
    published_at: item.publishedAt,
    platform_updated_at: item.updatedAt,
    sort_at: item.publishedAt ?? new Date(),
    content_hash: contentHash(item),
    raw: JSON.stringify(item.raw ?? null),
    owner_reply_text: reply?.text ?? null,
    owner_reply_at: replyAt,
    first_response_at: first?.at ?? null,
    first_response_source: first?.source ?? null,
    status: replyAt === null ? 'new' : nextStatus('new', { kind: 'respond' }),
    responded_at: replyAt,
    announced_at: announcedAt,
  };
}

/** What an already-stored item needs after this sighting, or undefined when nothing changed. */
function changesFor(
  before: ExistingItem,
  item: NormalizedItem,
  revisions: Insertable<ItemRevisionsTable>[],
  events: NewItemEvent[],
  source: IngestSource,
): ItemUpdate | undefined {
  const update: ItemUpdate = {};
  const hash = contentHash(item);
  if (hash !== before.content_hash) {
    revisions.push({
      item_id: before.id,
      account_id: source.account_id,
      rating_before: before.rating,
      rating_after: item.rating,
      title_before: before.title,
      title_after: item.title,
      body_before: before.body,
      body_after: item.body,
      platform_updated_at: item.updatedAt,
    });
    events.push(event(source, before.id, 'revised', PLATFORM, { ratingBefore: before.rating, ratingAfter: item.rating }));
    Object.assign(update, {
      rating: item.rating,
      title: item.title,
      body: item.body,
      language: item.language,
      platform_updated_at: item.updatedAt,
      content_hash: hash,
      raw: JSON.stringify(item.raw ?? null),
      // The new words must be judged again.
      analyzed_at: null,
    } satisfies ItemUpdate);
  }
  const reply = answeringReply(item);
  if (reply && before.owner_reply_at === null) {
    const at = platformReplyTime(reply.at, new Date());
    events.push(event(source, before.id, 'platform_reply_seen', PLATFORM, { text: reply.text }, at));
    const first = firstResponseAfter(storedFirstResponse(before), { at, source: PLATFORM });
    Object.assign(update, {
      owner_reply_text: reply.text,
      owner_reply_at: at,
      first_response_at: first.at,
      first_response_source: first.source,
    } satisfies ItemUpdate);
    const status = nextStatus(before.status, { kind: 'respond' });
    // The status's answer time is set when this reply is what moved the item out of `new`.
    if (status !== before.status) Object.assign(update, { status, responded_at: at } satisfies ItemUpdate);
  }
  if (Object.keys(update).length === 0) return undefined;
  const now = new Date();
  update.last_seen_at = now;
  update.updated_at = now;
  return update;
}

export function event(source: IngestSource, itemId: string, type: ItemEventType, actor: string, data: Record<string, unknown>, at?: Date): NewItemEvent {
  return { itemId, accountId: source.account_id, type, actor, data, ...(at ? { at } : {}) };
}
