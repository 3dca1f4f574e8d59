/**
 * One account full of items for the benchmarks that read them (response times, the
 * item list and the inbox page), written by PostgreSQL itself: a million rows from
 * generate_series take seconds, where inserting them from Node would take minutes.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface ItemMix {
  items: number;
  businesses: number;
  /** Each business gets this many sources, alternately Google and Trustpilot. */
  sourcesPerBusiness: number;
  /** Share of all items flagged, drawn among the negative (1–2 star) ones; at most 0.4. */
  flaggedShare: number;
}

export interface SeededAccount {
  accountId: string;
  businessIds: string[];
}

const NEGATIVE_SHARE = 0.4; // ratings 1 and 2 of an even spread over 1–5

/**
 * Two years of items spread evenly over the account's sources; ratings spread evenly
 * over 1–5, the 1–2 star ones negative; 80 % answered on the platform within 0–72 h,
 * 30 % resolved within 10 days (status follows: resolved, else responded, else new);
 * Paris opening hours on every business. Ends with VACUUM ANALYZE, as a live
 * database would be after autovacuum, and a checkpoint.
 */
export async function seedItems(db: Db, mix: ItemMix): Promise<SeededAccount> {
  if (mix.flaggedShare < 0 || mix.flaggedShare > NEGATIVE_SHARE) throw new Error(`flaggedShare must be within 0..${NEGATIVE_SHARE}`);
  const sources = mix.businesses * mix.sourcesPerBusiness;
  const account = await db.insertInto('accounts').values({ name: 'Bench agency' }).returning('id').executeTakeFirstOrThrow();
  const hours = JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '09:00', close: '18:00' }]])));
  await sql`
    INSERT INTO businesses (account_id, name, timezone, alert_emails, opening_hours)
    SELECT ${account.id}, 'Business ' || n, 'Europe/Paris', '{}', ${hours}::jsonb FROM generate_series(1, ${mix.businesses}) n
  `.execute(db);
  await sql`
    INSERT INTO sources (id, account_id, business_id, type, poll_every_minutes)
    SELECT gen_random_uuid(), b.account_id, b.id, CASE WHEN k % 2 = 0 THEN 'google_places' ELSE 'trustpilot' END, 15
    FROM businesses b CROSS JOIN generate_series(1, ${mix.sourcesPerBusiness}) k
    WHERE b.account_id = ${account.id}
  `.execute(db);
  // Every random value is drawn per row in the inner select: an uncorrelated LATERAL
  // subquery would be evaluated once and give every item the same date.
  await sql`
    INSERT INTO items (account_id, business_id, source_id, kind, external_id, url, author, rating, title, body, language,
                       published_at, sort_at, content_hash, sentiment_score, sentiment_label, flagged, analyzed_at,
                       status, first_response_at, first_response_source, resolved_at)
    SELECT s.account_id, s.business_id, s.id, 'review', 'r' || g.n, 'https://reviews.example/r/' || g.n, 'Customer ' || g.n,
           1 + g.n % 5, CASE WHEN g.n % 3 = 0 THEN 'Visit ' || g.n END,
           (ARRAY[
             'The pasta was cold and the waiter ignored us for twenty minutes.',
             'Lovely staff, great coffee, will be back soon!',
             'Booked a table for eight and they had no record of it.',
             'Fine food, nothing special, prices a bit high.',
             'Absolutely wonderful evening, the dessert was perfect.',
             'Waited forty minutes on hold and nobody answered.'
           ])[1 + g.n % 6] || ' Visit ' || g.n || '.', 'en',
           g.at, g.at, md5(g.n::text),
           CASE WHEN g.n % 5 < 2 THEN -0.6 ELSE 0.6 END,
           CASE WHEN g.n % 5 < 2 THEN 'negative' ELSE 'positive' END,
           g.n % 5 < 2 AND g.flag_draw < ${mix.flaggedShare / NEGATIVE_SHARE},
           g.at,
           CASE WHEN g.resolved THEN 'resolved' WHEN g.answered THEN 'responded' ELSE 'new' END,
           CASE WHEN g.answered THEN g.at + g.response_share * interval '72 hours' END,
           CASE WHEN g.answered THEN 'platform' END,
           CASE WHEN g.resolved THEN g.at + g.resolution_share * interval '10 days' END
    FROM (
      SELECT n, now() - random() * interval '730 days' AS at, random() < 0.8 AS answered, random() AS response_share,
             n % 10 < 3 AS resolved, random() AS resolution_share, random() AS flag_draw
      FROM generate_series(1, ${mix.items}) n
    ) g
    JOIN (
      SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, account_id, business_id FROM sources WHERE account_id = ${account.id}
    ) s ON s.k = g.n % ${sources}
  `.execute(db);
  // The figures mean something only if the items are spread as described.
  const spread = await sql<{ months: number; answered: number; flagged: number }>`
    SELECT count(DISTINCT date_trunc('month', published_at))::int AS months,
           avg((first_response_at IS NOT NULL)::int)::float8 AS answered,
           avg(flagged::int)::float8 AS flagged
    FROM items WHERE account_id = ${account.id}
  `.execute(db);
  const { months, answered, flagged } = spread.rows[0]!;
  if (months < 24 || Math.abs(answered - 0.8) > 0.05 || Math.abs(flagged - mix.flaggedShare) > 0.02) {
    throw new Error(`seed is not spread as intended: ${months} months, ${answered} answered, ${flagged} flagged`);
  }
  await sql`VACUUM ANALYZE`.execute(db);
  // Write the seed's dirty pages out now, not while the first figures are measured.
  // A role that may not checkpoint leaves it to the server's own schedule.
  await sql`CHECKPOINT`.execute(db).catch((error: unknown) => {
    if ((error as { code?: string }).code !== '42501') throw error; // insufficient_privilege
  });
  const businesses = await db.selectFrom('businesses').select('id').where('account_id', '=', account.id).orderBy('name').execute();
  return { accountId: account.id, businessIds: businesses.map((b) => b.id) };
}
