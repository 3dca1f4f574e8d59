// Frozen: a change log that lets response-time readers keep item facts in memory
// and re-read only what changed, as on 2026-11-23. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The month (UTC) an item's response clock starts in: its cohort. Facts are
    -- re-read in (business, cohort month) chunks.
    CREATE FUNCTION earshot_cohort_month(published_at timestamptz, first_seen_at timestamptz)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
      SELECT date_trunc('month', coalesce(published_at, first_seen_at) AT TIME ZONE 'UTC')::date
    $fn$;

    -- Append-only, no row is ever updated: writers never wait on each other here.
    -- A reader remembers the snapshot it read under; the chunks it must re-read are
    -- the ones logged by transactions that snapshot could not see.
    CREATE TABLE response_fact_changes (
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      business_id uuid NOT NULL,
      cohort_month date NOT NULL,
      logged_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX response_fact_changes_xid ON response_fact_changes (xid);
    CREATE INDEX response_fact_changes_logged ON response_fact_changes USING brin (logged_at);

    CREATE FUNCTION earshot_log_item_fact_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO response_fact_changes (business_id, cohort_month)
        SELECT DISTINCT business_id, earshot_cohort_month(published_at, first_seen_at) FROM new_items;
      ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO response_fact_changes (business_id, cohort_month)
        SELECT business_id, earshot_cohort_month(published_at, first_seen_at) FROM new_items
        UNION
        SELECT business_id, earshot_cohort_month(published_at, first_seen_at) FROM old_items;
      ELSE
        INSERT INTO response_fact_changes (business_id, cohort_month)
        SELECT DISTINCT business_id, earshot_cohort_month(published_at, first_seen_at) FROM old_items;
      END IF;
      RETURN NULL;
    END
    $fn$;

    CREATE TRIGGER items_fact_changes_insert AFTER INSERT ON items
      REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION earshot_log_item_fact_changes();
    CREATE TRIGGER items_fact_changes_update AFTER UPDATE ON items
      REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION earshot_log_item_fact_changes();
    CREATE TRIGGER items_fact_changes_delete AFTER DELETE ON items
      REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION earshot_log_item_fact_changes();

    -- Who answered first is read from the 'responded' events.
    CREATE FUNCTION earshot_log_event_fact_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO response_fact_changes (business_id, cohort_month)
      SELECT DISTINCT i.business_id, earshot_cohort_month(i.published_at, i.first_seen_at)
      FROM new_events e JOIN items i ON i.id = e.item_id
      WHERE e.type = 'responded';
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER item_events_fact_changes AFTER INSERT ON item_events
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION earshot_log_event_fact_changes();

    -- Opening hours are now counted by the application (services/metrics/opening-clock.ts).
    DROP FUNCTION earshot_open_seconds(timestamptz, timestamptz, text, jsonb);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER item_events_fact_changes ON item_events;
    DROP TRIGGER items_fact_changes_delete ON items;
    DROP TRIGGER items_fact_changes_update ON items;
    DROP TRIGGER items_fact_changes_insert ON items;
    DROP FUNCTION earshot_log_event_fact_changes();
    DROP FUNCTION earshot_log_item_fact_changes();
    DROP TABLE response_fact_changes;
    DROP FUNCTION earshot_cohort_month(timestamptz, timestamptz);
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
