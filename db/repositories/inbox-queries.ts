import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, ItemKind, ItemStatus, SentimentLabel } from '../schema.ts';
import { BUSINESS_COLUMNS, toBusinessRecord, type BusinessRecord } from './businesses.ts';
import { textMatches } from './item-queries.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

/**
 * The inbox's views of items. Each tab is a fixed question; filters narrow it.
 * - needs:   flagged, not yet answered (status new), still on the platform — fewest stars first, then oldest
 * - mine:    assigned to the person asking — newest first
 * - waiting: answered but not resolved, or resolved and awaiting a re-review — newest first
 * - done:    resolved — newest first
 * - all:     everything — newest first
 */
export const INBOX_TABS = ['needs', 'mine', 'waiting', 'done', 'all'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export interface InboxFilters {
  businessId?: string | undefined;
  sourceId?: string | undefined;
  /** Exactly this many stars. */
  rating?: number | undefined;
  sentiment?: SentimentLabel | undefined;
  topic?: string | undefined;
  /** Words that must appear in the title or text, case-insensitively. */
  q?: string | undefined;
}

export interface InboxView {
  tab: InboxTab;
  /** The person asking: whose "mine" it is. */
  userId: string;
  filters: InboxFilters;
}

/**
 * A place in a tab's order. `rank` is the star rank of the Needs-reply order (a
 * mention without stars ranks after five stars) and null in the others; `sortAt`
 * keeps Postgres's microseconds, so the next page neither skips nor repeats a row.
 */
export interface InboxPosition {
  rank: number | null;
  sortAt: string;
  id: string;
}

export interface InboxRow {
  id: string;
  businessId: string;
  sourceId: string;
  kind: ItemKind;
  rating: number | null;
  author: string | null;
  title: string | null;
  /** The start of the text, enough for its first line. */
  excerpt: string;
  publishedAt: Date | null;
  firstSeenAt: Date;
  status: ItemStatus;
  flagged: boolean;
  firstResponseAt: Date | null;
  sentiment: SentimentLabel | null;
  assignee: string | null;
}

export interface InboxPage {
  rows: InboxRow[];
  /** Where the next (older) page starts, or null when this is the last. */
  next: InboxPosition | null;
}

/** Stars as the Needs-reply order ranks them: the same expression as the index items_inbox_needs. */
const STAR_RANK = sql<number>`coalesce(items.rating, 6)`;
const SORT_KEY = sql<string>`to_char(items.sort_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function baseQuery(db: Kysely<Database>, scope: TenantScope, view: InboxView) {
  const { filters } = view;
  let query = db
    .selectFrom('items')
    .select([
      'items.id',
      'items.business_id',
      'items.source_id',
      'items.kind',
      'items.rating',
      'items.author',
      'items.title',
      sql<string>`left(items.body, 400)`.as('excerpt'),
      'items.published_at',
      'items.first_seen_at',
      'items.status',
      'items.flagged',
      'items.first_response_at',
      'items.sentiment_label',
      'items.assignee',
      STAR_RANK.as('star_rank'),
      SORT_KEY.as('sort_key'),
    ])
    .where('items.account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .where(tabCondition(view));
  if (filters.businessId !== undefined) query = query.where('items.business_id', '=', filters.businessId);
  if (filters.sourceId !== undefined) query = query.where('items.source_id', '=', filters.sourceId);
  if (filters.rating !== undefined) query = query.where('items.rating', '=', filters.rating);
  if (filters.sentiment !== undefined) query = query.where('items.sentiment_label', '=', filters.sentiment);
  if (filters.topic !== undefined) query = query.where(sql<SqlBool>`items.topics @> ARRAY[${filters.topic}]::text[]`);
  if (filters.q !== undefined) query = query.where(textMatches(filters.q));
  return query;
}

/**
 * "Needs reply": flagged, nobody has answered, still on its platform. Read on `items`
 * unaliased, as the partial index of migration 2026-12-07T1300_inbox_indexes is written;
 * the inbox's tab and the weekly report's waiting list ask the same question.
 */
export function needsReply(): Expression<SqlBool> {
  return sql<SqlBool>`(items.flagged AND items.status = 'new' AND items.removed_at IS NULL)`;
}

/** Each tab's question; written to match the partial indexes of migration 2026-12-07T1300_inbox_indexes. */
function tabCondition(view: InboxView): Expression<SqlBool> {
  switch (view.tab) {
    case 'needs':
      return needsReply();
    case 'mine':
      return sql<SqlBool>`items.assignee_user_id = ${view.userId}::uuid`;
    case 'waiting':
      return sql<SqlBool>`(items.status = 'responded' OR (items.status = 'resolved' AND EXISTS (
        SELECT 1 FROM re_review_requests r WHERE r.item_id = items.id AND r.status = 'pending')))`;
    case 'done':
      return sql<SqlBool>`items.status = 'resolved'`;
    case 'all':
      return sql<SqlBool>`true`;
  }
}

type Row = {
  id: string;
  business_id: string;
  source_id: string;
  kind: ItemKind;
  rating: number | null;
  author: string | null;
  title: string | null;
  excerpt: string;
  published_at: Date | null;
  first_seen_at: Date;
  status: ItemStatus;
  flagged: boolean;
  first_response_at: Date | null;
  sentiment_label: SentimentLabel | null;
  assignee: string | null;
};

function toRow(row: Row): InboxRow {
  return {
    id: row.id,
    businessId: row.business_id,
    sourceId: row.source_id,
    kind: row.kind,
    rating: row.rating,
    author: row.author,
    title: row.title,
    excerpt: row.excerpt,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    status: row.status,
    flagged: row.flagged,
    firstResponseAt: row.first_response_at,
    sentiment: row.sentiment_label,
    assignee: row.assignee,
  };
}

/** One page of a tab, in its order, starting after `after`. */
export async function listInbox(db: Kysely<Database>, scope: TenantScope, view: InboxView, page: { limit: number; after?: InboxPosition | undefined }): Promise<InboxPage> {
  let query = baseQuery(db, scope, view);
  const after = page.after;
  if (view.tab === 'needs') {
    if (after !== undefined) {
      query = query.where(sql<SqlBool>`(${STAR_RANK}, items.sort_at, items.id) > (${after.rank ?? 6}, ${after.sortAt}::timestamptz, ${after.id}::uuid)`);
    }
    query = query.orderBy(STAR_RANK).orderBy('items.sort_at').orderBy('items.id');
  } else {
    if (after !== undefined) query = query.where(sql<SqlBool>`(items.sort_at, items.id) < (${after.sortAt}::timestamptz, ${after.id}::uuid)`);
    query = query.orderBy('items.sort_at', 'desc').orderBy('items.id', 'desc');
  }
  // One extra row tells whether another page exists without counting.
  const rows = await query.limit(page.limit + 1).execute();
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  const next =
    rows.length > page.limit && last !== undefined ? { rank: view.tab === 'needs' ? Number(last.star_rank) : null, sortAt: last.sort_key, id: last.id } : null;
  return { rows: shown.map(toRow), next };
}

/**
 * Items of the view that Earshot first saw after `seenAfter`, oldest arrival first,
 * leaving out `known` ids (rows the page already has). What live rows poll for.
 */
export async function listInboxArrivals(
  db: Kysely<Database>,
  scope: TenantScope,
  view: InboxView,
  since: { seenAfter: Date; known: readonly string[]; limit: number },
): Promise<InboxRow[]> {
  let query = baseQuery(db, scope, view).where('items.first_seen_at', '>', since.seenAfter);
  if (since.known.length > 0) query = query.where(sql<SqlBool>`NOT (items.id = ANY(${[...since.known]}::uuid[]))`);
  const rows = await query.orderBy('items.first_seen_at').orderBy('items.id').limit(since.limit).execute();
  return rows.map(toRow);
}

/** A source as the inbox names it and filters by it. */
export interface InboxSource {
  id: string;
  businessId: string;
  type: string;
}

/** What every inbox view needs beside its rows, read in one round trip. */
export interface InboxScope {
  /** The businesses in scope, oldest first. */
  businesses: BusinessRecord[];
  /** Every source of those businesses, oldest first: the source filter and each row's platform name. */
  sources: InboxSource[];
  /** The database's clock, so the page's "since" and the items' first sightings are read on one clock. */
  now: Date;
}

export async function loadInboxScope(db: Kysely<Database>, scope: TenantScope): Promise<InboxScope> {
  const rows = await db
    .selectFrom('businesses')
    .select(BUSINESS_COLUMNS)
    .select((eb) => [
      sql<Date>`now()`.as('now'),
      // Not correlated with the business row: PostgreSQL runs it once for the whole query.
      eb
        .selectFrom('sources as s')
        .select(sql<InboxSource[]>`coalesce(json_agg(json_build_object('id', s.id, 'businessId', s.business_id, 'type', s.type) ORDER BY s.created_at, s.id), '[]')`.as('list'))
        .where('s.account_id', '=', scope.accountId)
        .where(inBusinessScope('s.business_id', scope))
        .as('sources'),
    ])
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('businesses.id', scope))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const first = rows[0];
  // No business in scope means no sources either; the clock still has to be read.
  if (first === undefined) return { businesses: [], sources: [], now: await databaseNow(db) };
  return { businesses: rows.map(toBusinessRecord), sources: first.sources ?? [], now: first.now };
}

/** The database's clock, so the page's "since" and the items' first sightings are read on one clock. */
export async function databaseNow(db: Kysely<Database>): Promise<Date> {
  const result = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
  return result.rows[0]!.now;
}
