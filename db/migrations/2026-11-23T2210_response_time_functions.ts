// Frozen: how response-time figures count a business's opening hours, as on 2026-11-23.
// Never import application code here; later changes get a new migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Seconds between t0 and t1 that fall inside the opening hours, read in the business's
  // own zone. Each local day's intervals are turned into instants by PostgreSQL's zone
  // database, so a day of 23 or 25 hours (a DST change) counts what the clock on the wall
  // showed. No hours set (null): every second counts.
  await sql`
    CREATE FUNCTION earshot_open_seconds(t0 timestamptz, t1 timestamptz, tz text, hours jsonb)
    RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
      SELECT CASE
        WHEN t1 <= t0 THEN 0::double precision
        WHEN hours IS NULL THEN extract(epoch FROM t1 - t0)::double precision
        ELSE coalesce((
          SELECT sum(greatest(0::numeric, extract(epoch FROM
              least(t1, (day + (span->>'close')::interval) AT TIME ZONE tz)
            - greatest(t0, (day + (span->>'open')::interval) AT TIME ZONE tz))))
          FROM generate_series(
                 (t0 AT TIME ZONE tz)::date::timestamp,
                 (t1 AT TIME ZONE tz)::date::timestamp,
                 interval '1 day') AS days(day)
          CROSS JOIN LATERAL jsonb_array_elements(
            coalesce(hours -> (ARRAY['mon','tue','wed','thu','fri','sat','sun'])[extract(isodow FROM day)::int], '[]'::jsonb)
          ) AS spans(span)
        ), 0)::double precision
      END
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION earshot_open_seconds(timestamptz, timestamptz, text, jsonb);`.execute(db);
}
