// Frozen: find one (business, cohort month) chunk's items without reading the
// business's other items, as on 2026-11-23. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX items_business_cohort_month ON items (business_id, earshot_cohort_month(published_at, first_seen_at))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX items_business_cohort_month`.execute(db);
}
