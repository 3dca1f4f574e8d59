// Frozen: when the platform announced each item (a stream event's time, a webhook's
// arrival), where review-to-alert latency is counted from — as on 2026-12-08.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Written when the item is first stored and never after; null for a polled item,
    -- whose published_at stands in.
    ALTER TABLE items ADD COLUMN announced_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE items DROP COLUMN announced_at`.execute(db);
}
