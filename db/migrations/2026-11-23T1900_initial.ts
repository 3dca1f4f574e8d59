// Frozen: this migration describes the schema as it was on 2026-11-23.
// Never import application code here; later changes get a new migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'staff', 'consultant')),
      name text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      key_prefix text NOT NULL,
      business_ids uuid[],
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_keys_account ON api_keys (account_id);

    CREATE TABLE businesses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      name text NOT NULL,
      timezone text NOT NULL DEFAULT 'UTC',
      alert_emails text[] NOT NULL DEFAULT '{}',
      opening_hours jsonb,
      sla_hours integer NOT NULL DEFAULT 24,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX businesses_account ON businesses (account_id, created_at);

    CREATE TABLE sources (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      type text NOT NULL,
      config jsonb NOT NULL DEFAULT '{}',
      credentials text,
      poll_every_minutes integer NOT NULL CHECK (poll_every_minutes > 0),
      next_poll_at timestamptz NOT NULL DEFAULT now(),
      claimed_slot text,
      cursor jsonb,
      status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_attention', 'paused', 'failing')),
      last_polled_at timestamptz,
      last_success_at timestamptz,
      last_error_kind text,
      last_error_message text,
      last_error_at timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sources_business ON sources (business_id);
    CREATE INDEX sources_due ON sources (next_poll_at) WHERE status IN ('ok', 'failing');

    CREATE TABLE source_bad_pages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source_id uuid NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      message text NOT NULL,
      payload text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX source_bad_pages_source ON source_bad_pages (source_id, created_at);

    CREATE TABLE items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      source_id uuid NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('review', 'mention')),
      external_id text NOT NULL,
      url text,
      author text,
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      title text,
      body text NOT NULL DEFAULT '',
      language text,
      published_at timestamptz,
      platform_updated_at timestamptz,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      sort_at timestamptz NOT NULL,
      content_hash text NOT NULL,
      raw jsonb,
      owner_reply_text text,
      owner_reply_at timestamptz,
      sentiment_score real,
      sentiment_label text CHECK (sentiment_label IN ('negative', 'neutral', 'positive', 'unknown')),
      flagged boolean NOT NULL DEFAULT false,
      analyzed_at timestamptz,
      analyzer_version text,
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'responded', 'resolved')),
      first_response_at timestamptz,
      first_response_source text CHECK (first_response_source IN ('platform', 'earshot')),
      responded_at timestamptz,
      resolved_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source_id, external_id)
    ) WITH (fillfactor = 50);
    -- Room left on each page, and no index on the analysis columns, let the analysis
    -- update of a new item be a HOT update: a heap write with no index writes.
    CREATE INDEX items_account_sort ON items (account_id, sort_at DESC, id DESC);
    CREATE INDEX items_business_sort ON items (business_id, sort_at DESC, id DESC);
    -- Items arrive in first_seen_at order: a BRIN index finds recent ones (the
    -- reconciler's unanalysed items) for almost no upkeep, and does not block HOT.
    CREATE INDEX items_first_seen ON items USING brin (first_seen_at);

    CREATE TABLE item_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      type text NOT NULL,
      actor text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX item_events_item ON item_events (item_id, at, id);

    CREATE TABLE item_revisions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      rating_before smallint,
      rating_after smallint,
      title_before text,
      title_after text,
      body_before text NOT NULL,
      body_after text NOT NULL,
      platform_updated_at timestamptz,
      seen_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX item_revisions_item ON item_revisions (item_id, seen_at);

    CREATE TABLE alert_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      recipient text NOT NULL,
      kind text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent')),
      attempts integer NOT NULL DEFAULT 0,
      claim_token uuid,
      claimed_at timestamptz,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (item_id, recipient, kind)
    );
    CREATE INDEX alert_deliveries_unsent ON alert_deliveries (updated_at) WHERE status <> 'sent';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE alert_deliveries;
    DROP TABLE item_revisions;
    DROP TABLE item_events;
    DROP TABLE items;
    DROP TABLE source_bad_pages;
    DROP TABLE sources;
    DROP TABLE businesses;
    DROP TABLE api_keys;
    DROP TABLE accounts;
  `.execute(db);
}
