import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { DigestWeekday, ItemKind, SentimentLabel } from '../schema.ts';

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

/** One recipient's entries of one cadence waiting for their digest, with what the business's schedule needs. */
export interface WaitingDigest {
  accountId: string;
  businessId: string;
  cadence: 'daily' | 'weekly';
  recipient: string;
  channelId: string | null;
  /** When the oldest waiting entry was written: a digest is due once a period ends after it. */
  oldestAt: Date;
  timeZone: string;
  digestTime: string;
  digestWeekday: DigestWeekday;
}

/** Every recipient, per business and cadence, with entries not yet in a digest. */
export async function listWaitingDigests(db: Db): Promise<WaitingDigest[]> {
  const rows = await db
    .selectFrom('digest_entries as e')
    .innerJoin('businesses as b', 'b.id', 'e.business_id')
    .select(['e.account_id', 'e.business_id', 'e.cadence', 'e.recipient', 'e.channel_id', 'b.timezone', 'b.digest_time', 'b.digest_weekday'])
    .select((eb) => eb.fn.min('e.created_at').as('oldest_at'))
    .where('e.digest_delivery_id', 'is', null)
    .groupBy(['e.account_id', 'e.business_id', 'e.cadence', 'e.recipient', 'e.channel_id', 'b.timezone', 'b.digest_time', 'b.digest_weekday'])
    .execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    businessId: row.business_id,
    cadence: row.cadence,
    recipient: row.recipient,
    channelId: row.channel_id,
    oldestAt: row.oldest_at,
    timeZone: row.timezone,
    digestTime: row.digest_time,
    digestWeekday: row.digest_weekday,
  }));
}

/**
 * Puts the recipient's waiting entries written before `before` into the digest delivery,
 * in the caller's transaction (the one that wrote the delivery). Returns how many.
 */
export async function attachWaitingEntries(
  tx: Db,
  digest: { deliveryId: string; businessId: string; cadence: 'daily' | 'weekly'; recipient: string; before: Date },
): Promise<number> {
  const result = await tx
    .updateTable('digest_entries')
    .set({ digest_delivery_id: digest.deliveryId })
    .where('business_id', '=', digest.businessId)
    .where('cadence', '=', digest.cadence)
    .where('recipient', '=', digest.recipient)
    .where('digest_delivery_id', 'is', null)
    .where('created_at', '<', digest.before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An item a digest delivery carries, as the digest lists it. */
export interface DigestEntryItem {
  id: string;
  kind: ItemKind;
  sourceType: string;
  rating: number | null;
  sentimentLabel: SentimentLabel | null;
  topics: string[];
  author: string | null;
  title: string | null;
  body: string;
  /** When the platform says it was published, or when Earshot first saw it. */
  publishedAt: Date;
  /** Responded to (on the platform or in Earshot) or resolved, as the digest is written. */
  answered: boolean;
}

/** The items of a digest delivery, as they are now; empty when they were all deleted since. */
export async function listDigestItems(db: Db, deliveryId: string): Promise<DigestEntryItem[]> {
  const rows = await db
    .selectFrom('digest_entries as e')
    .innerJoin('items as i', 'i.id', 'e.item_id')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select([
      'i.id', 'i.kind', 's.type as source_type', 'i.rating', 'i.sentiment_label', 'i.topics', 'i.author', 'i.title', 'i.body',
      sql<Date>`coalesce(i.published_at, i.first_seen_at)`.as('published_at'),
      sql<boolean>`i.first_response_at IS NOT NULL OR i.resolved_at IS NOT NULL`.as('answered'),
    ])
    .where('e.digest_delivery_id', '=', deliveryId)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    sourceType: row.source_type,
    rating: row.rating,
    sentimentLabel: row.sentiment_label,
    topics: row.topics,
    author: row.author,
    title: row.title,
    body: row.body,
    publishedAt: row.published_at,
    answered: row.answered,
  }));
}
