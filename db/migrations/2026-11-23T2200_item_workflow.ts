// Frozen: staff work items to the end (assignment, reopen) and ask customers to
// update their review after a fix. Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Who works the item: a person's name or email, or an API key's name with its id.
    ALTER TABLE items ADD COLUMN assignee text;
    ALTER TABLE items ADD COLUMN assignee_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL;

    CREATE TABLE re_review_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('email', 'phone', 'in_person', 'platform_reply', 'other')),
      note text,
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      rating_before smallint,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'revised', 'removed', 'expired')),
      rating_after smallint,
      closed_at timestamptz,
      CHECK ((status = 'pending') = (closed_at IS NULL))
    );
    -- One open request per item: a revision answers it, and counts once.
    CREATE UNIQUE INDEX re_review_requests_one_pending ON re_review_requests (item_id) WHERE status = 'pending';
    CREATE INDEX re_review_requests_item ON re_review_requests (item_id, requested_at);
    CREATE INDEX re_review_requests_account ON re_review_requests (account_id, requested_at);
    -- The expiry sweep reads only what is still open.
    CREATE INDEX re_review_requests_pending_since ON re_review_requests (requested_at) WHERE status = 'pending';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE re_review_requests;
    ALTER TABLE items DROP COLUMN assignee_key_id;
    ALTER TABLE items DROP COLUMN assignee;
  `.execute(db);
}
