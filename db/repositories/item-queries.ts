import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, ItemKind, ItemStatus, ItemsTable, SentimentLabel } from '../schema.ts';
import { ITEM_JSON } from './item-json.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface ItemRecord {
  id: string;
  sourceId: string;
  businessId: string;
  kind: ItemKind;
  externalId: string;
  url: string | null;
  author: string | null;
  rating: number | null;
  title: string | null;
  body: string;
  language: string | null;
  publishedAt: Date | null;
  firstSeenAt: Date;
  sentiment: { score: number; label: SentimentLabel } | null;
  /** What a negative item complains about; empty for the others. */
  topics: string[];
  flagged: boolean;
  status: ItemStatus;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseSource: 'platform' | 'earshot' | 'reply' | null;
  ownerReply: { text: string; at: Date | null } | null;
  /** Who works the item; `keyId` when it is one of the account's API keys. */
  assignee: { name: string; keyId: string | null } | null;
}

export interface ItemEventRecord {
  type: string;
  actor: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface ItemDetailRecord extends ItemRecord {
  /** Oldest first: the item's story in the order it happened. */
  events: ItemEventRecord[];
  /** Set when the assignee is a person who signs in. */
  assigneeUserId: string | null;
}

/**
 * A position in the newest-first listing. `sortAt` keeps Postgres's microseconds
 * (a JS Date would round them away and make the next page skip or repeat rows).
 */
export interface ItemPosition {
  sortAt: string;
  id: string;
}

export interface ItemFilters {
  businessId?: string;
  sourceId?: string;
  kind?: ItemKind;
  status?: ItemStatus;
  sentiment?: SentimentLabel;
  flagged?: boolean;
  ratingMin?: number;
  ratingMax?: number;
  /** An API key id (matches `assignee_key_id`) or a name/email (matched case-insensitively). */
  assignee?: string;
  /** Published (or first seen, when undated) at or after this time. */
  publishedFrom?: Date;
  /** Published (or first seen, when undated) before this time. */
  publishedTo?: Date;
  /** Words that must appear in the title or body, case-insensitively. */
  q?: string;
  limit: number;
  /** Start after this position; omitted: from the newest item. */
  after?: ItemPosition;
}

const COLUMNS = [
  'id',
  'source_id',
  'business_id',
  'kind',
  'external_id',
  'url',
  'author',
  'rating',
  'title',
  'body',
  'language',
  'published_at',
  'first_seen_at',
  'sentiment_score',
  'sentiment_label',
  'topics',
  'flagged',
  'status',
  'responded_at',
  'resolved_at',
  'first_response_at',
  'first_response_source',
  'owner_reply_text',
  'owner_reply_at',
  'assignee',
  'assignee_key_id',
] as const;

type ItemRow = Pick<Selectable<ItemsTable>, (typeof COLUMNS)[number]>;

function toRecord(row: ItemRow): ItemRecord {
  return {
    id: row.id,
    sourceId: row.source_id,
    businessId: row.business_id,
    kind: row.kind,
    externalId: row.external_id,
    url: row.url,
    author: row.author,
    rating: row.rating,
    title: row.title,
    body: row.body,
    language: row.language,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    sentiment:
      row.sentiment_label === null || row.sentiment_score === null
        ? null
        : { score: row.sentiment_score, label: row.sentiment_label },
    topics: row.topics,
    flagged: row.flagged,
    status: row.status,
    respondedAt: row.responded_at,
    resolvedAt: row.resolved_at,
    firstResponseAt: row.first_response_at,
    firstResponseSource: row.first_response_source,
    ownerReply: row.owner_reply_text === null ? null : { text: row.owner_reply_text, at: row.owner_reply_at },
    assignee: row.assignee === null ? null : { name: row.assignee, keyId: row.assignee_key_id },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assigneeMatches(assignee: string): RawBuilder<boolean> {
  if (UUID.test(assignee)) return sql<boolean>`items.assignee_key_id = ${assignee}::uuid`;
  return sql<boolean>`lower(items.assignee) = lower(${assignee})`;
}

/** `%`, `_` and the escape character itself are literal in a search, never wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A plain substring search: small inboxes, no index to keep; the text is always a bound parameter. */
export function textMatches(q: string): RawBuilder<boolean> {
  const pattern = likePattern(q);
  return sql<boolean>`(items.body ILIKE ${pattern} ESCAPE '\\' OR coalesce(items.title, '') ILIKE ${pattern} ESCAPE '\\')`;
}

/** Where the page after `items` starts: the position of the extra row, when there is one. */
const SORT_KEY = sql<string>`to_char(items.sort_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The filtered list, newest first by (sort_at, id): the order of the items_account_sort index; one row beyond the page. */
function pageQuery(db: Kysely<Database>, scope: TenantScope, filters: ItemFilters) {
  let query = db
    .selectFrom('items')
    .select(['items.id', SORT_KEY.as('sort_key')])
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope));
  if (filters.businessId !== undefined) query = query.where('business_id', '=', filters.businessId);
  if (filters.sourceId !== undefined) query = query.where('source_id', '=', filters.sourceId);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (filters.sentiment !== undefined) query = query.where('sentiment_label', '=', filters.sentiment);
  if (filters.flagged !== undefined) query = query.where('flagged', '=', filters.flagged);
  if (filters.kind !== undefined) query = query.where('kind', '=', filters.kind);
  if (filters.ratingMin !== undefined) query = query.where('rating', '>=', filters.ratingMin);
  if (filters.ratingMax !== undefined) query = query.where('rating', '<=', filters.ratingMax);
  // sort_at is published_at, or the first sighting when the platform gives no date.
  if (filters.publishedFrom !== undefined) query = query.where('sort_at', '>=', filters.publishedFrom);
  if (filters.publishedTo !== undefined) query = query.where('sort_at', '<', filters.publishedTo);
  if (filters.assignee !== undefined) query = query.where(assigneeMatches(filters.assignee));
  if (filters.q !== undefined) query = query.where(textMatches(filters.q));
  if (filters.after !== undefined) {
    const { sortAt, id } = filters.after;
    query = query.where(sql<boolean>`(items.sort_at, items.id) < (${sortAt}::timestamptz, ${id}::uuid)`);
  }
  return (
    query
      .orderBy('sort_at', 'desc')
      .orderBy('id', 'desc')
      // One extra row tells whether another page exists without counting.
      .limit(filters.limit + 1)
  );
}

/** A page of the list as the API sends it: each item already the API's Item JSON text (see item-json.ts). */
export interface ItemJsonPage {
  itemsJson: string[];
  /** Where the next page starts, or null when this page is the last. */
  next: ItemPosition | null;
}

/** One page of the list, written as JSON by PostgreSQL. */
export async function listItemsJson(db: Kysely<Database>, scope: TenantScope, filters: ItemFilters): Promise<ItemJsonPage> {
  const rows = await pageQuery(db, scope, filters).select(ITEM_JSON.as('json')).execute();
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return { itemsJson: page.map((row) => row.json), next: rows.length > filters.limit && last !== undefined ? { sortAt: last.sort_key, id: last.id } : null };
}

export async function getItem(db: Kysely<Database>, scope: TenantScope, itemId: string): Promise<ItemDetailRecord | undefined> {
  const row = await db
    .selectFrom('items')
    .select(COLUMNS)
    .select('assignee_user_id')
    .where('id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const events = await db
    .selectFrom('item_events')
    .select(['type', 'actor', 'at', 'data'])
    .where('item_id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const record = toRecord(row);
  // Detection is the item's own first_seen_at; storing it as an event too would be a second copy.
  const detected: ItemEventRecord = { type: 'detected', actor: 'system', at: record.firstSeenAt, data: { publishedAt: record.publishedAt?.toISOString() ?? null } };
  // Stable sort: detection comes first among events of the same instant.
  return { ...record, assigneeUserId: row.assignee_user_id, events: [detected, ...events].sort((a, b) => a.at.getTime() - b.at.getTime()) };
}
