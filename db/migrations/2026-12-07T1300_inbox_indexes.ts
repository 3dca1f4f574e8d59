// Frozen: the inbox's indexes, as on 2026-12-07. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Needs reply (flagged, unanswered, still on the platform), in its order: fewest stars
  // first (a mention without stars after five), then oldest. Partial, so it holds only
  // the few items waiting for a reply, and the first page is read off its head even
  // with a million items in the account. The predicate and the star expression must
  // stay exactly as db/repositories/inbox-queries.ts writes them.
  await sql`
    CREATE INDEX items_inbox_needs ON items (account_id, (coalesce(rating, 6)), sort_at, id)
    WHERE flagged AND status = 'new' AND removed_at IS NULL
  `.execute(db);
  // "Mine", newest first, without sorting everything a busy person was ever given.
  await sql`
    CREATE INDEX items_inbox_mine ON items (assignee_user_id, sort_at DESC, id DESC) WHERE assignee_user_id IS NOT NULL
  `.execute(db);
  // The ordered index above serves every lookup the unordered one did.
  await sql`DROP INDEX items_assignee_user`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX items_assignee_user ON items (assignee_user_id) WHERE assignee_user_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX items_inbox_mine`.execute(db);
  await sql`DROP INDEX items_inbox_needs`.execute(db);
}
