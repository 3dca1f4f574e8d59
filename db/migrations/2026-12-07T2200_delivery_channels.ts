// Frozen: the alert outbox also sends through alert channels (Slack, Teams, a webhook, ntfy,
// email), and a send whose outcome nobody can know is kept aside, as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Set when the delivery goes through this channel rather than by email to recipient.
    -- A channel delivery is still about an item or a source (the one-subject check stands);
    -- a deleted channel takes its unsent deliveries with it.
    ALTER TABLE alert_deliveries ADD COLUMN channel_id uuid REFERENCES alert_channels(id) ON DELETE CASCADE;
    -- Exactly once per item, channel and kind, whatever recipient text the writer chose.
    CREATE UNIQUE INDEX alert_deliveries_item_channel ON alert_deliveries (item_id, channel_id, kind) WHERE channel_id IS NOT NULL;
    CREATE INDEX alert_deliveries_channel ON alert_deliveries (channel_id) WHERE channel_id IS NOT NULL;
    -- unknown: the channel may or may not have received it (a send that timed out); never
    -- sent again by itself, shown in delivery health for an owner to look at.
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_status_check;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_status_check CHECK (status IN ('pending', 'sending', 'sent', 'unknown'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DELETE FROM alert_deliveries WHERE channel_id IS NOT NULL;
    UPDATE alert_deliveries SET status = 'pending' WHERE status = 'unknown';
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_status_check;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_status_check CHECK (status IN ('pending', 'sending', 'sent'));
    DROP INDEX alert_deliveries_channel;
    DROP INDEX alert_deliveries_item_channel;
    ALTER TABLE alert_deliveries DROP COLUMN channel_id;
  `.execute(db);
}
