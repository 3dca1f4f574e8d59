// Frozen: read one (business, cohort month) chunk's response-time facts from the
// index alone, as on 2026-11-23. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A chunk's rows lie scattered over the table; carrying every fact column in the
  // index makes re-reading a chunk that changed an index-only scan of a few pages.
  await sql`
    CREATE INDEX items_business_cohort_month ON items (business_id, earshot_cohort_month(published_at, first_seen_at))
    INCLUDE (id, published_at, first_seen_at, first_response_at, resolved_at, source_id, kind, sentiment_label, flagged, rating, first_response_source)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX items_business_cohort_month`.execute(db);
}
