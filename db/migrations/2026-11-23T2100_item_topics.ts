// Frozen: this migration describes the schema change as it was on 2026-11-23.
// Never import application code here; later changes get a new migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A constant default is stored in the catalogue: no table rewrite. No index, so the
  // analysis update of a new item stays a HOT update.
  await sql`
    ALTER TABLE items ADD COLUMN topics text[] NOT NULL DEFAULT '{}';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE items DROP COLUMN topics;
  `.execute(db);
}
