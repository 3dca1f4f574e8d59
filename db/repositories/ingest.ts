import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database, Item, ItemRevisionsTable, ItemUpdate } from '../schema.ts';

type Tx = Transaction<Database>;

export type ExistingItem = Pick<
  Item,
  'id' | 'external_id' | 'rating' | 'title' | 'body' | 'content_hash' | 'owner_reply_at' | 'owner_reply_text' | 'first_response_at' | 'first_response_source' | 'status'
>;

/** Locks and returns the items of a source that a page is about to touch. */
export async function lockExistingItems(tx: Tx, sourceId: string, externalIds: string[]): Promise<Map<string, ExistingItem>> {
  if (externalIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('items')
    .select(['id', 'external_id', 'rating', 'title', 'body', 'content_hash', 'owner_reply_at', 'owner_reply_text', 'first_response_at', 'first_response_source', 'status'])
    .where('source_id', '=', sourceId)
    // One array parameter, not one per id: a page is hundreds of ids.
    .where('external_id', '=', sql<string>`ANY(${externalIds}::text[])`)
    .forUpdate()
    .execute();
  return new Map(rows.map((row) => [row.external_id, row]));
}

export async function markItemsSeen(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('items')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .execute();
}

/** Writes what a new sighting changed on a stored item (ingest decides what). */
export async function updateStoredItem(tx: Tx, itemId: string, update: ItemUpdate): Promise<void> {
  await tx.updateTable('items').set(update).where('id', '=', itemId).execute();
}

export async function insertItemRevisions(tx: Tx, revisions: Insertable<ItemRevisionsTable>[]): Promise<void> {
  if (revisions.length === 0) return;
  await tx.insertInto('item_revisions').values(revisions).execute();
}

/**
 * Savepoints let a page be stored item by item inside its one transaction, so an item
 * the database refuses is undone alone. `name` is a constant of the caller, never input.
 */
export async function setSavepoint(tx: Tx, name: string): Promise<void> {
  await sql`SAVEPOINT ${sql.id(name)}`.execute(tx);
}

export async function releaseSavepoint(tx: Tx, name: string): Promise<void> {
  await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(tx);
}

export async function rollbackToSavepoint(tx: Tx, name: string): Promise<void> {
  await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(tx);
}

/** Saves the connector's cursor; a page with new items also ends any quiet spell. */
export async function saveSourceCursor(tx: Tx, sourceId: string, cursor: unknown, heardSomething: boolean): Promise<void> {
  await tx
    .updateTable('sources')
    .set({ cursor: cursor === undefined ? null : JSON.stringify(cursor), ...(heardSomething ? { quiet_since: null } : {}) })
    .where('id', '=', sourceId)
    .execute();
}

/** A new item as ingest stores it; the source's ids come separately, once per page. */
export type NewItemRow = Pick<
  Item,
  | 'kind' | 'external_id' | 'url' | 'author' | 'rating' | 'title' | 'body' | 'language' | 'published_at'
  | 'platform_updated_at' | 'sort_at' | 'content_hash' | 'owner_reply_text' | 'owner_reply_at' | 'first_response_at'
  | 'first_response_source' | 'status' | 'responded_at' | 'announced_at'
> & { raw: string };

/**
 * Inserts the items of a page that are not stored yet, as one array per column: one
 * statement with a fixed number of parameters, which PostgreSQL binds far faster than
 * one per value. Returns external id → new id for the ones inserted.
 */
export async function insertNewItems(tx: Tx, source: { id: string; account_id: string; business_id: string }, rows: NewItemRow[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const column = <K extends keyof NewItemRow>(key: K) => rows.map((row) => row[key]);
  const result = await sql<{ id: string; external_id: string }>`
    INSERT INTO items (
      account_id, business_id, source_id, kind, external_id, url, author, rating, title, body, language,
      published_at, platform_updated_at, sort_at, content_hash, raw,
      owner_reply_text, owner_reply_at, first_response_at, first_response_source, status, responded_at, announced_at
    )
    SELECT ${source.account_id}::uuid, ${source.business_id}::uuid, ${source.id}::uuid, kind, external_id, url, author, rating, title, body, language,
      published_at, platform_updated_at, sort_at, content_hash, raw,
      owner_reply_text, owner_reply_at, first_response_at, first_response_source, status, responded_at, announced_at
    FROM unnest(
      ${column('kind')}::text[], ${column('external_id')}::text[], ${column('url')}::text[], ${column('author')}::text[],
      ${column('rating')}::smallint[], ${column('title')}::text[], ${column('body')}::text[], ${column('language')}::text[],
      ${column('published_at')}::timestamptz[], ${column('platform_updated_at')}::timestamptz[], ${column('sort_at')}::timestamptz[],
      ${column('content_hash')}::text[], ${column('raw')}::jsonb[], ${column('owner_reply_text')}::text[],
      ${column('owner_reply_at')}::timestamptz[], ${column('first_response_at')}::timestamptz[], ${column('first_response_source')}::text[],
      ${column('status')}::text[], ${column('responded_at')}::timestamptz[], ${column('announced_at')}::timestamptz[]
    ) WITH ORDINALITY AS v(kind, external_id, url, author, rating, title, body, language,
      published_at, platform_updated_at, sort_at, content_hash, raw, owner_reply_text, owner_reply_at, first_response_at, first_response_source,
      status, responded_at, announced_at, position)
    ORDER BY position
    ON CONFLICT (source_id, external_id) DO NOTHING
    RETURNING id, external_id`.execute(tx);
  return new Map(result.rows.map((row) => [row.external_id, row.id]));
}

/**
 * Marks the source's items with these external ids as gone from the platform;
 * returns the ids of the ones not already marked (unknown ids are ignored).
 */
export async function markItemsRemoved(tx: Tx, sourceId: string, externalIds: string[]): Promise<string[]> {
  if (externalIds.length === 0) return [];
  const rows = await tx
    .updateTable('items')
    .set({ removed_at: new Date(), updated_at: new Date() })
    .where('source_id', '=', sourceId)
    .where('external_id', 'in', externalIds)
    .where('removed_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
