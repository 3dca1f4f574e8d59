// Frozen: when alerts go out — digests, weekly reports, SLA escalations and spike alerts
// (deliveries about a business), quiet hours that hold an alert, and the default digest
// of items the analyzer could not judge — as on 2026-12-08.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A digest, a weekly report or a spike alert is about a business, not one item or source.
    ALTER TABLE alert_deliveries ADD COLUMN business_id uuid REFERENCES businesses(id) ON DELETE CASCADE;
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_one_subject;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_one_subject CHECK (num_nonnulls(item_id, source_id, sign_in_link_id, business_id) = 1);
    -- Once per business, recipient (an address or channel:<id>), kind and period or incident.
    CREATE UNIQUE INDEX alert_deliveries_business_notice ON alert_deliveries (business_id, recipient, kind, incident) WHERE business_id IS NOT NULL;
    -- Quiet hours: not to be sent before this instant (null: at once).
    ALTER TABLE alert_deliveries ADD COLUMN send_after timestamptz;

    -- What daily and weekly rules put aside for a digest, at the moment the item was judged
    -- (a rule change applies to items judged after it). Gathered into one digest delivery
    -- when its period ends; digest_delivery_id says which.
    CREATE TABLE digest_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      cadence text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
      -- An address, or channel:<id> with channel_id set, as on alert_deliveries.
      recipient text NOT NULL,
      channel_id uuid REFERENCES alert_channels(id) ON DELETE CASCADE,
      digest_delivery_id uuid REFERENCES alert_deliveries(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (item_id, recipient, cadence)
    );
    CREATE INDEX digest_entries_waiting ON digest_entries (business_id, cadence, recipient, created_at) WHERE digest_delivery_id IS NULL;
    CREATE INDEX digest_entries_delivery ON digest_entries (digest_delivery_id) WHERE digest_delivery_id IS NOT NULL;

    -- A flagged item whose SLA passed unanswered, escalated once.
    CREATE TABLE sla_escalations (
      item_id uuid PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      escalated_at timestamptz NOT NULL DEFAULT now()
    );

    -- When digests and the weekly report go out, in the business's time zone.
    ALTER TABLE businesses ADD COLUMN digest_time text NOT NULL DEFAULT '08:00';
    ALTER TABLE businesses ADD COLUMN digest_weekday text NOT NULL DEFAULT 'monday'
      CHECK (digest_weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'));
    ALTER TABLE businesses ADD COLUMN weekly_report boolean NOT NULL DEFAULT true;

    -- Quiet hours {"from": "HH:MM", "to": "HH:MM"} of a person or a channel; null: never quiet.
    ALTER TABLE users ADD COLUMN quiet_hours jsonb;
    ALTER TABLE alert_channels ADD COLUMN quiet_hours jsonb;

    -- Nothing the analyzer cannot judge is dropped: every business gets it in its daily digest.
    INSERT INTO alert_rules (account_id, business_id, name, conditions, target, delivery)
    SELECT account_id, id, 'Items Earshot could not judge, in the daily digest', '{"sentiments": ["unknown"], "flaggedOnly": false}', '{"alertAddresses": true}', 'daily'
    FROM businesses;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DELETE FROM alert_rules WHERE delivery = 'daily' AND conditions = '{"sentiments": ["unknown"], "flaggedOnly": false}'::jsonb AND target = '{"alertAddresses": true}'::jsonb;
    ALTER TABLE alert_channels DROP COLUMN quiet_hours;
    ALTER TABLE users DROP COLUMN quiet_hours;
    ALTER TABLE businesses DROP COLUMN weekly_report;
    ALTER TABLE businesses DROP COLUMN digest_weekday;
    ALTER TABLE businesses DROP COLUMN digest_time;
    DROP TABLE sla_escalations;
    DROP TABLE digest_entries;
    ALTER TABLE alert_deliveries DROP COLUMN send_after;
    DROP INDEX alert_deliveries_business_notice;
    DELETE FROM alert_deliveries WHERE business_id IS NOT NULL;
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_one_subject;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_one_subject CHECK (num_nonnulls(item_id, source_id, sign_in_link_id) = 1);
    ALTER TABLE alert_deliveries DROP COLUMN business_id;
  `.execute(db);
}
