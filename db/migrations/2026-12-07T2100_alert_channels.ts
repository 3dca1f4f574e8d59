// Frozen: the alert channels an account sends through (Slack, Teams, a webhook, ntfy, email), as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE alert_channels (
      -- Made by the application, not here: the sealed credentials bind it as associated data.
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      -- The channel contract's id (services/alerts/channels/registry.ts).
      type text NOT NULL,
      name text NOT NULL,
      -- Only what is not secret, as the channel's parseConfig accepted it.
      config jsonb NOT NULL DEFAULT '{}',
      -- The secret fields (a webhook URL that is itself the secret, a signing secret), AES-256-GCM sealed.
      credentials text,
      status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_attention')),
      last_error text,
      last_error_at timestamptz,
      last_success_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Owners pick a channel by name: two with one name, differing only in case, would be a trap.
    CREATE UNIQUE INDEX alert_channels_name ON alert_channels (account_id, lower(name));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE alert_channels;`.execute(db);
}
