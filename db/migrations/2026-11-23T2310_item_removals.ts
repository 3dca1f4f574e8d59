// Frozen: items the platform says are gone, as on 2026-11-23. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Kept, not deleted: the timeline, the response figures and a closed re-review request still point at it.
  await sql`ALTER TABLE items ADD COLUMN removed_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE items DROP COLUMN removed_at`.execute(db);
}
