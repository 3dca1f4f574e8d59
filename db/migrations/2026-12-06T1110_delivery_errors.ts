// Frozen: when each unsent alert delivery last failed, as on 2026-12-06.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE alert_deliveries ADD COLUMN last_error_at timestamptz`.execute(db);
  await sql`UPDATE alert_deliveries SET last_error_at = updated_at WHERE last_error IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE alert_deliveries DROP COLUMN last_error_at`.execute(db);
}
