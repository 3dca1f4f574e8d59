// Frozen: a reply published from Earshot may be an item's first response (first_response_source 'reply'), as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE items DROP CONSTRAINT items_first_response_source_check;
    ALTER TABLE items ADD CONSTRAINT items_first_response_source_check CHECK (first_response_source IN ('platform', 'earshot', 'reply'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Before replies there was no telling them apart: a reply sent from Earshot was an answer recorded in Earshot.
  await sql`
    UPDATE items SET first_response_source = 'earshot' WHERE first_response_source = 'reply';
    ALTER TABLE items DROP CONSTRAINT items_first_response_source_check;
    ALTER TABLE items ADD CONSTRAINT items_first_response_source_check CHECK (first_response_source IN ('platform', 'earshot'));
  `.execute(db);
}
