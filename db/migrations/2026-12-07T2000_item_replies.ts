// Frozen: replies published on the platform from Earshot (an outbox), and reply templates, as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE item_replies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      text text NOT NULL,
      -- The reply this one updates; null: the item had no reply from Earshot when it was written.
      replaces uuid REFERENCES item_replies(id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'sending', 'published', 'pending_moderation', 'rejected', 'failed', 'stopped', 'cancelled')),
      -- Why it was rejected, failed or stopped, in words for the person.
      reason text,
      -- The end of the undo window: nothing is sent before.
      send_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      claim_token uuid,
      claimed_at timestamptz,
      last_error text,
      platform_reply_id text,
      platform_reply_url text,
      published_at timestamptz,
      -- Who wrote it, as the timeline names them (a person's name or an API key's).
      author text NOT NULL,
      author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX item_replies_item ON item_replies (item_id, created_at);
    -- The reconciler's list: replies due and not finished.
    CREATE INDEX item_replies_unfinished ON item_replies (send_at) WHERE status IN ('scheduled', 'sending');

    CREATE TABLE reply_templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      name text NOT NULL,
      body text NOT NULL,
      -- Offered first for items rated within this range (both null: no default).
      default_min_rating smallint CHECK (default_min_rating BETWEEN 1 AND 5),
      default_max_rating smallint CHECK (default_max_rating BETWEEN 1 AND 5),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (business_id, name)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE reply_templates;
    DROP TABLE item_replies;
  `.execute(db);
}
