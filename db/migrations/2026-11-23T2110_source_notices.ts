// Frozen: owners are told about their sources (refused credentials, a source gone
// quiet) through the same exactly-once outbox as item alerts. Never import app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE alert_deliveries ALTER COLUMN item_id DROP NOT NULL;
    ALTER TABLE alert_deliveries ADD COLUMN source_id uuid REFERENCES sources(id) ON DELETE CASCADE;
    -- Which occurrence a source notice is about (e.g. when the source went quiet): one email each.
    ALTER TABLE alert_deliveries ADD COLUMN incident text NOT NULL DEFAULT '';
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_one_subject CHECK (num_nonnulls(item_id, source_id) = 1);
    CREATE UNIQUE INDEX alert_deliveries_source_notice ON alert_deliveries (source_id, recipient, kind, incident) WHERE source_id IS NOT NULL;
    -- Set when a source that used to hear things has heard nothing for far longer than usual.
    ALTER TABLE sources ADD COLUMN quiet_since timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sources DROP COLUMN quiet_since;
    DELETE FROM alert_deliveries WHERE source_id IS NOT NULL;
    DROP INDEX alert_deliveries_source_notice;
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_one_subject;
    ALTER TABLE alert_deliveries DROP COLUMN incident;
    ALTER TABLE alert_deliveries DROP COLUMN source_id;
    ALTER TABLE alert_deliveries ALTER COLUMN item_id SET NOT NULL;
  `.execute(db);
}
