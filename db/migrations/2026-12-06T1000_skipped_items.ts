// Frozen: items a page held that could not be stored, kept aside for inspection, as on
// 2026-12-06. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE skipped_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source_id uuid NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      external_id text NOT NULL,
      reason text NOT NULL,
      payload text NOT NULL,
      skipped_at timestamptz NOT NULL DEFAULT now()
    );
    -- A platform that keeps showing the same bad item is kept aside once, with its latest time.
    CREATE UNIQUE INDEX skipped_items_source_item ON skipped_items (source_id, md5(external_id));
    CREATE INDEX skipped_items_source_recent ON skipped_items (source_id, skipped_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE skipped_items`.execute(db);
}
