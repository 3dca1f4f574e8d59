import type { Transaction } from 'kysely';
import type { NormalizedItem, Page } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { markItemsRemoved, releaseSavepoint, rollbackToSavepoint, saveSourceCursor, setSavepoint } from '../../db/repositories/ingest.ts';
import { insertItemEvents } from '../../db/repositories/item-events.ts';
import { closeRequestsAsRemoved } from '../../db/repositories/re-reviews.ts';
import { keepSkippedItems, type SkippedItem } from '../../db/repositories/skipped-items.ts';
import type { Database } from '../../db/schema.ts';
import { storableText, storableTextUpTo } from '../../db/storable-text.ts';
import { normalizeItem, storableJson } from './normalize-item.ts';
import { isRefusedContent } from './refused-content.ts';
import { event, storeItems, type AnnouncedTimes, type IngestSource, type StoredItems } from './store-items.ts';

export type { IngestSource } from './store-items.ts';
export { announcedTogether } from './store-items.ts';

export interface IngestResult extends StoredItems {
  /** Stored items newly reported gone by the platform. */
  removed: number;
  /** Items the database would not store even after cleaning, kept aside (external ids). */
  skipped: string[];
}

export interface IngestOptions {
  /** False for a page of looked-up items: it has no cursor to save. */
  saveCursor: boolean;
  /**
   * What to do with an item the database refuses: a poll keeps it aside and stores the
   * rest (the platform will show it again and again); a push refuses the whole batch,
   * storing nothing, so its sender can fix the item and send again.
   */
  unstorable?: 'keep_aside' | 'refuse';
  /** When the platform announced the page's items, for a stream's events or a webhook; none when polled. */
  announced?: AnnouncedTimes;
}

/** A pushed item the database refused even after cleaning; nothing of its batch was stored. */
export class UnstorableItemError extends Error {
  readonly externalId: string;
  constructor(externalId: string, reason: string) {
    super(reason);
    this.name = 'UnstorableItemError';
    this.externalId = externalId;
  }
}

type Tx = Transaction<Database>;
const SKIPPED_PAYLOAD_CHARS = 64 * 1024;
const ITEM_SAVEPOINT = 'ingest_item';

/**
 * Stores one page in one transaction, together with the connector's cursor, so a
 * crash re-reads at most this page. Idempotent on (source, external id): the same page
 * twice changes nothing the second time. Every item is normalised first
 * (normalize-item.ts). Should the database still refuse the page because of what an
 * item holds, the page is stored again item by item, each under its own savepoint,
 * and the refused ones are kept aside (`skipped_items`): one bad review never stops
 * its source, and the cursor still moves only in the transaction that stores the page.
 */
export async function ingestPage(db: Db, source: IngestSource, page: Page, options: IngestOptions = { saveCursor: true }): Promise<IngestResult> {
  const now = new Date();
  const items = lastWins(page.items.map((item) => normalizeItem(item, now)));
  const removed = [...new Set((page.removed ?? []).map((id) => storableText(String(id))))];
  const cursor = page.cursor === undefined ? undefined : storableJson(page.cursor, { bounded: false });
  try {
    return await db.transaction().execute(async (tx) => {
      const stored = await storeItems(tx, source, items, options.announced);
      return finishPage(tx, source, { ...stored, removed: 0, skipped: [] }, removed, cursor, options);
    });
  } catch (error) {
    if (!isRefusedContent(error) || items.length === 0) throw error;
  }
  return db.transaction().execute(async (tx) => {
    const result: IngestResult = { toAnalyze: [], inserted: 0, revised: 0, repliesSeen: 0, removed: 0, skipped: [] };
    const skipped: SkippedItem[] = [];
    for (const item of items) {
      await setSavepoint(tx, ITEM_SAVEPOINT);
      try {
        const stored = await storeItems(tx, source, [item], options.announced);
        await releaseSavepoint(tx, ITEM_SAVEPOINT);
        result.toAnalyze.push(...stored.toAnalyze);
        result.inserted += stored.inserted;
        result.revised += stored.revised;
        result.repliesSeen += stored.repliesSeen;
      } catch (error) {
        if (!isRefusedContent(error)) throw error;
        await rollbackToSavepoint(tx, ITEM_SAVEPOINT);
        const reason = storableTextUpTo(`the database refused it (${error.code}): ${error.message}`, 500);
        if (options.unstorable === 'refuse') throw new UnstorableItemError(item.externalId, reason);
        skipped.push({ externalId: storableTextUpTo(item.externalId, 1_000), reason, payload: asText(item) });
      }
    }
    await keepSkippedItems(tx, source, skipped);
    result.skipped = skipped.map((item) => item.externalId);
    return finishPage(tx, source, result, removed, cursor, options);
  });
}

/** What belongs to the page rather than its items: removals and the cursor. */
async function finishPage(tx: Tx, source: IngestSource, result: IngestResult, removedIds: string[], cursor: unknown, options: IngestOptions): Promise<IngestResult> {
  // Gone from the platform: kept, marked, and its customer's open re-review request closed as removed.
  const removed = await markItemsRemoved(tx, source.id, removedIds);
  result.removed = removed.length;
  await insertItemEvents(tx, removed.map((id) => event(source, id, 'removed', 'platform', {})));
  await closeRequestsAsRemoved(tx, removed);
  if (options.saveCursor) await saveSourceCursor(tx, source.id, cursor, result.inserted > 0);
  return result;
}

/** A platform can list the same item twice in one page; the later copy is the newer. */
function lastWins(items: NormalizedItem[]): NormalizedItem[] {
  return [...new Map(items.map((item) => [item.externalId, item])).values()];
}

function asText(item: NormalizedItem): string {
  return storableTextUpTo(JSON.stringify(item), SKIPPED_PAYLOAD_CHARS);
}
