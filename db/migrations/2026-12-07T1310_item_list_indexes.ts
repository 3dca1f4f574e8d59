// Frozen: the item list's indexes for flagged items, as on 2026-12-07. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // GET /v1/items?flagged=true&status=… in its order, newest first. Without it the list
  // walked items_account_sort and threw away every row not flagged with that status
  // (5,000 rows read for a page of 50 when 1 % match). Partial, so only flagged items
  // are in it: a new item enters it when analysis flags it, an update that was never
  // HOT (the cohort index carries the analysis columns).
  await sql`CREATE INDEX items_flagged_status_sort ON items (account_id, status, sort_at DESC, id DESC) WHERE flagged`.execute(db);
  // flagged=true with no status (or with filters no index has): newest first, flagged only.
  await sql`CREATE INDEX items_flagged_sort ON items (account_id, sort_at DESC, id DESC) WHERE flagged`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX items_flagged_sort`.execute(db);
  await sql`DROP INDEX items_flagged_status_sort`.execute(db);
}
