// Frozen: which signed webhook requests each push source has accepted, as on 2026-12-06.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The primary key is the replay check: the second insert of one signature finds the first.
  await sql`
    CREATE TABLE webhook_signatures_seen (
      source_id uuid NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      signature text NOT NULL,
      seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_id, signature)
    )`.execute(db);
  await sql`CREATE INDEX webhook_signatures_seen_by_age ON webhook_signatures_seen (source_id, seen_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE webhook_signatures_seen`.execute(db);
}
