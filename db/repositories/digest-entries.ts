import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** An item a daily or weekly rule put aside for one recipient's digest. */
export interface NewDigestEntry {
  accountId: string;
  businessId: string;
  itemId: string;
  cadence: 'daily' | 'weekly';
  /** An address, or `channel:<id>` with `channelId` set. */
  recipient: string;
  channelId: string | null;
}

/** Writes digest entries; an item already set aside for the recipient and cadence is left as it is. */
export async function insertDigestEntries(db: Db, entries: NewDigestEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const column = <T>(pick: (entry: NewDigestEntry) => T) => entries.map(pick);
  const result = await sql`
    INSERT INTO digest_entries (account_id, business_id, item_id, cadence, recipient, channel_id)
    SELECT * FROM unnest(
      ${column((e) => e.accountId)}::uuid[],
      ${column((e) => e.businessId)}::uuid[],
      ${column((e) => e.itemId)}::uuid[],
      ${column((e) => e.cadence)}::text[],
      ${column((e) => e.recipient)}::text[],
      ${column((e) => e.channelId)}::uuid[]
    )
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
