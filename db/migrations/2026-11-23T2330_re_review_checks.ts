// Frozen: when each pending re-review request's item was last looked up on its
// platform, as on 2026-11-23. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE re_review_requests ADD COLUMN last_checked_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE re_review_requests DROP COLUMN last_checked_at`.execute(db);
}
