import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.ts';
import type { ItemKind } from '../schema.ts';

/**
 * Negative items (labelled negative, or flagged) counted for spike alerts
 * (services/alerts/spike-rule.ts says what makes a spike). The window is the `windowHours`
 * before `at`. An item arrived in the window when Earshot first saw it there and it is news:
 * published (or, undated, first seen) no more than one window before the window began — a new
 * source's back catalogue, first seen all at once, is not a spike. The usual is counted by
 * when items were published (or first seen) over the `historyDays` before the window, so a
 * back catalogue counts where it belongs: in the business's history.
 */
export interface SpikeWindow {
  at: Date;
  windowHours: number;
  historyDays: number;
}

export interface NegativeCounts {
  businessId: string;
  accountId: string;
  businessName: string;
  /** Negative items that arrived in the window. */
  current: number;
  /** Negative items of the history before it (not counted in `current`). */
  history: number;
}

function bounds(window: SpikeWindow): { start: Date; freshFrom: Date; historyStart: Date } {
  const windowMs = window.windowHours * 3_600_000;
  const start = new Date(window.at.getTime() - windowMs);
  return { start, freshFrom: new Date(start.getTime() - windowMs), historyStart: new Date(start.getTime() - window.historyDays * 86_400_000) };
}

const NEGATIVE = sql<boolean>`(i.sentiment_label = 'negative' OR i.flagged)`;
const HAPPENED_AT = sql<Date>`coalesce(i.published_at, i.first_seen_at)`;

function arrivedIn(window: SpikeWindow): RawBuilder<boolean> {
  const { start, freshFrom } = bounds(window);
  return sql<boolean>`(i.first_seen_at >= ${start}::timestamptz AND i.first_seen_at < ${window.at}::timestamptz AND ${HAPPENED_AT} >= ${freshFrom}::timestamptz)`;
}

/**
 * Per business, its negative items in the window and in the history before it: every business
 * with at least `minimum` in the window, or only `businessId` (whatever its count) when given.
 */
export async function countNegativeItems(db: Db, window: SpikeWindow, filter: { minimum: number } | { businessId: string }): Promise<NegativeCounts[]> {
  const { start, historyStart } = bounds(window);
  const arrived = arrivedIn(window);
  const result = await sql<{ id: string; account_id: string; name: string; current: number; history: number }>`
    WITH negative AS (
      SELECT i.business_id, ${arrived} AS arrived_now, ${HAPPENED_AT} AS happened_at
      FROM items i
      WHERE ${NEGATIVE}
        -- Published no later than first seen: this bound lets the first_seen_at index narrow the scan.
        AND i.first_seen_at >= ${historyStart}::timestamptz AND i.first_seen_at < ${window.at}::timestamptz
        ${'businessId' in filter ? sql`AND i.business_id = ${filter.businessId}::uuid` : sql``}
    )
    SELECT b.id, b.account_id, b.name,
           (count(*) FILTER (WHERE n.arrived_now))::int AS current,
           (count(*) FILTER (WHERE NOT n.arrived_now AND n.happened_at >= ${historyStart}::timestamptz AND n.happened_at < ${start}::timestamptz))::int AS history
    FROM businesses b
    LEFT JOIN negative n ON n.business_id = b.id
    WHERE ${'businessId' in filter ? sql`b.id = ${filter.businessId}::uuid` : sql`b.id IN (SELECT business_id FROM negative WHERE arrived_now)`}
    GROUP BY b.id
    HAVING count(*) FILTER (WHERE n.arrived_now) >= ${'minimum' in filter ? filter.minimum : 0}`.execute(db);
  return result.rows.map((row) => ({ businessId: row.id, accountId: row.account_id, businessName: row.name, current: row.current, history: row.history }));
}

/** A negative item that arrived in the window, as a spike alert lists it. */
export interface SpikeItem {
  itemId: string;
  kind: ItemKind;
  sourceType: string;
  rating: number | null;
  author: string | null;
  title: string | null;
  body: string;
  topics: string[];
  publishedAt: Date;
}

/** The business's negative items that arrived in the window: lowest stars first (unrated last), then the newest. */
export async function listNegativeArrivals(db: Db, businessId: string, window: SpikeWindow): Promise<SpikeItem[]> {
  const rows = await db
    .selectFrom('items as i')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select(['i.id', 'i.kind', 's.type', 'i.rating', 'i.author', 'i.title', 'i.body', 'i.topics'])
    .select(HAPPENED_AT.as('happened_at'))
    .where('i.business_id', '=', businessId)
    .where(NEGATIVE)
    .where(arrivedIn(window))
    .orderBy(sql`coalesce(i.rating, 6)`)
    .orderBy(HAPPENED_AT, 'desc')
    .orderBy('i.id')
    .execute();
  return rows.map((row) => ({
    itemId: row.id,
    kind: row.kind,
    sourceType: row.type,
    rating: row.rating,
    author: row.author,
    title: row.title,
    body: row.body,
    topics: row.topics,
    publishedAt: row.happened_at,
  }));
}

/** Of these businesses, those that already have a spike delivery for one of these incidents. */
export async function businessesWithSpike(db: Db, businessIds: string[], kind: string, incidents: string[]): Promise<Set<string>> {
  if (businessIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('alert_deliveries')
    .select('business_id')
    .distinct()
    .where('business_id', '=', sql<string>`ANY(${businessIds}::uuid[])`)
    .where('kind', '=', kind)
    .where('incident', '=', sql<string>`ANY(${incidents}::text[])`)
    .execute();
  return new Set(rows.map((row) => row.business_id!));
}
