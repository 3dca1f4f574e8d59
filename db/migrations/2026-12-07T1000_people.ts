// Frozen: people who sign in, their sessions, one-time sign-in links, and sign-in attempts, as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      email text NOT NULL,
      display_name text,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'staff', 'consultant')),
      business_ids uuid[],
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- One person, one sign-in, whatever the case they type their address in.
    CREATE UNIQUE INDEX users_email ON users (lower(email));
    CREATE INDEX users_account ON users (account_id);

    CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL UNIQUE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      user_agent text
    );
    CREATE INDEX sessions_user ON sessions (user_id);

    -- Invitations (the first owner's included) and password resets: one-time links with an expiry.
    CREATE TABLE sign_in_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
      email text NOT NULL,
      role text CHECK (role IN ('owner', 'staff', 'consultant')),
      business_ids uuid[],
      user_id uuid REFERENCES users(id) ON DELETE CASCADE,
      created_by text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (purpose <> 'invitation' OR role IS NOT NULL),
      CHECK (purpose <> 'password_reset' OR user_id IS NOT NULL)
    );
    CREATE INDEX sign_in_links_account ON sign_in_links (account_id, purpose) WHERE used_at IS NULL;

    CREATE TABLE sign_in_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      address text NOT NULL,
      succeeded boolean NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sign_in_attempts_email ON sign_in_attempts (lower(email), at);
    CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);

    -- The outbox also carries sign-in links: exactly one subject per delivery.
    ALTER TABLE alert_deliveries ADD COLUMN sign_in_link_id uuid REFERENCES sign_in_links(id) ON DELETE CASCADE;
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_one_subject;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_one_subject CHECK (num_nonnulls(item_id, source_id, sign_in_link_id) = 1);
    CREATE UNIQUE INDEX alert_deliveries_sign_in_link ON alert_deliveries (sign_in_link_id, recipient, kind) WHERE sign_in_link_id IS NOT NULL;

    -- Work given to a person who signs in ("Mine"); the name stays when the person is removed.
    ALTER TABLE items ADD COLUMN assignee_user_id uuid REFERENCES users(id) ON DELETE SET NULL;
    CREATE INDEX items_assignee_user ON items (assignee_user_id) WHERE assignee_user_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE items DROP COLUMN assignee_user_id;
    DELETE FROM alert_deliveries WHERE sign_in_link_id IS NOT NULL;
    DROP INDEX alert_deliveries_sign_in_link;
    ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_one_subject;
    ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_one_subject CHECK (num_nonnulls(item_id, source_id) = 1);
    ALTER TABLE alert_deliveries DROP COLUMN sign_in_link_id;
    DROP TABLE sign_in_attempts;
    DROP TABLE sign_in_links;
    DROP TABLE sessions;
    DROP TABLE users;
  `.execute(db);
}
