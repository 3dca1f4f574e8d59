// Frozen: per-business alert rules (which items, told to whom, how), as on 2026-12-07.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE alert_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      business_id uuid NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
      name text NOT NULL,
      -- The API's "when" and "to"; named otherwise here because WHEN and TO are SQL keywords.
      -- Their shape is db/alert-rule-shape.ts, checked by services/alerts/rules/ before writing.
      conditions jsonb NOT NULL,
      target jsonb NOT NULL,
      delivery text NOT NULL CHECK (delivery IN ('instant', 'daily', 'weekly')),
      urgent boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Read per business by every analysis batch, listed oldest first.
    CREATE INDEX alert_rules_business ON alert_rules (business_id, created_at);

    -- Every existing business keeps what it had: each flagged item, at once, to each alert address.
    INSERT INTO alert_rules (account_id, business_id, name, conditions, target, delivery)
    SELECT account_id, id, 'Flagged items to the alert addresses', '{"flaggedOnly": true}', '{"alertAddresses": true}', 'instant'
    FROM businesses;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE alert_rules;`.execute(db);
}
