import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { ItemKind, SentimentLabel } from '../schema.ts';
import { BUSINESS_COLUMNS, toBusinessRecord, type BusinessRecord } from './businesses.ts';
import { needsReply } from './inbox-queries.ts';

/**
 * What the weekly report to owners reads that no other feature asks: which businesses get
 * one and who reads it, items counted per report week, the bad items still waiting for an
 * answer, and re-reviews revised in a week. Response times and re-review requests come from
 * the metrics' own functions (services/alerts/weekly-report/weekly-report-figures.ts).
 */

/**
 * Businesses with the weekly report on that have something to report on: a source, or an
 * item kept from one. A business just created, with no source yet, is left out until it has.
 */
export async function listWeeklyReportBusinesses(db: Db): Promise<BusinessRecord[]> {
  const rows = await db
    .selectFrom('businesses as b')
    .select(BUSINESS_COLUMNS.map((column) => `b.${column}` as const))
    .where('b.weekly_report', '=', true)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('sources as s').select('s.id').whereRef('s.business_id', '=', 'b.id')),
        eb.exists(eb.selectFrom('items as i').select('i.id').whereRef('i.business_id', '=', 'b.id')),
      ]),
    )
    .orderBy('b.id')
    .execute();
  return rows.map(toBusinessRecord);
}

/** The period key of the newest delivery of this kind about the business (`weekly:2026-03-30`), or null. */
export async function newestBusinessDeliveryKey(db: Db, businessId: string, kind: string): Promise<string | null> {
  const row = await db
    .selectFrom('alert_deliveries')
    // Period keys end in the local ISO day, so the greatest is the newest.
    .select(sql<string | null>`max(incident)`.as('key'))
    .where('business_id', '=', businessId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.key ?? null;
}

/** The addresses of the account's owners who can see the business (all of it, or it among theirs). */
export async function listBusinessOwnerEmails(db: Db, accountId: string, businessId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where((eb) => eb.or([eb('business_ids', 'is', null), sql<boolean>`${businessId}::uuid = ANY(business_ids)`]))
    .orderBy('email')
    .execute();
  return rows.map((row) => row.email);
}

/** One week's items, by when they were published (or first seen, when the platform gives no date). */
export interface WeekItemCounts {
  reviews: number;
  mentions: number;
  /** Flagged by the analyzer: the items an owner is alerted about. */
  bad: number;
  /** Items with stars, and the sum of their stars: averages over several weeks add these up. */
  rated: number;
  ratingSum: number;
}

/**
 * Items of the business counted per week, in the order the weeks are given. Weeks are
 * instants [start, end), so a week 167 or 169 hours long (a clock change) is counted as it was.
 */
export async function countItemsByWeek(db: Db, businessId: string, weeks: ReadonlyArray<{ start: Date; end: Date }>): Promise<WeekItemCounts[]> {
  if (weeks.length === 0) return [];
  const result = await sql<{ reviews: number; mentions: number; bad: number; rated: number; rating_sum: number }>`
    SELECT
      count(i.id) FILTER (WHERE i.kind = 'review')::int AS reviews,
      count(i.id) FILTER (WHERE i.kind = 'mention')::int AS mentions,
      count(i.id) FILTER (WHERE i.flagged)::int AS bad,
      count(i.rating)::int AS rated,
      coalesce(sum(i.rating), 0)::int AS rating_sum
    FROM unnest(${weeks.map((week) => week.start.toISOString())}::timestamptz[], ${weeks.map((week) => week.end.toISOString())}::timestamptz[])
      WITH ORDINALITY AS w(start_at, end_at, n)
    LEFT JOIN items i ON i.business_id = ${businessId}::uuid
      AND coalesce(i.published_at, i.first_seen_at) >= w.start_at
      AND coalesce(i.published_at, i.first_seen_at) < w.end_at
    GROUP BY w.n
    ORDER BY w.n`.execute(db);
  return result.rows.map((row) => ({ reviews: row.reviews, mentions: row.mentions, bad: row.bad, rated: row.rated, ratingSum: row.rating_sum }));
}

/** A bad item still waiting for an answer, as the report lists it. */
export interface WaitingBadItem {
  id: string;
  kind: ItemKind;
  sourceType: string;
  rating: number | null;
  sentiment: SentimentLabel | null;
  topics: string[];
  author: string | null;
  title: string | null;
  /** The start of the text, enough for its first line. */
  excerpt: string;
  publishedAt: Date;
}

/**
 * The inbox's "Needs reply" question for one business — flagged, not yet answered (status
 * new), still on the platform — in its order (fewest stars first, then oldest), at most
 * `limit` of them, with how many there are in all.
 */
export async function listWaitingBadItems(db: Db, businessId: string, limit: number): Promise<{ total: number; items: WaitingBadItem[] }> {
  const rows = await db
    .selectFrom('items')
    .innerJoin('sources as s', 's.id', 'items.source_id')
    .select([
      'items.id',
      'items.kind',
      's.type',
      'items.rating',
      'items.sentiment_label',
      'items.topics',
      'items.author',
      'items.title',
      sql<string>`left(items.body, 400)`.as('excerpt'),
      sql<Date>`coalesce(items.published_at, items.first_seen_at)`.as('published'),
      sql<number>`(count(*) OVER ())::int`.as('total'),
    ])
    .where('items.business_id', '=', businessId)
    .where(needsReply())
    .orderBy(sql`coalesce(items.rating, 6)`)
    .orderBy('items.sort_at')
    .orderBy('items.id')
    .limit(limit)
    .execute();
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      sourceType: row.type,
      rating: row.rating,
      sentiment: row.sentiment_label,
      topics: row.topics,
      author: row.author,
      title: row.title,
      excerpt: row.excerpt,
      publishedAt: row.published,
    })),
  };
}

/** Re-review requests whose review was revised within [from, to), and how its stars moved. */
export async function countRevisedReReviews(db: Db, businessId: string, from: Date, to: Date): Promise<{ revised: number; averageRatingChange: number | null }> {
  const result = await sql<{ revised: number; average_rating_change: number | null }>`
    SELECT count(*)::int AS revised,
      (avg(rating_after - rating_before) FILTER (WHERE rating_before IS NOT NULL AND rating_after IS NOT NULL))::float8 AS average_rating_change
    FROM re_review_requests
    WHERE business_id = ${businessId}::uuid AND status = 'revised' AND closed_at >= ${from} AND closed_at < ${to}`.execute(db);
  const row = result.rows[0];
  return { revised: row?.revised ?? 0, averageRatingChange: row?.average_rating_change ?? null };
}
