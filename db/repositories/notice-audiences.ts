import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** A business's alert addresses as stored, and the channels its `instant` rules name that still exist. */
export interface NoticeAudienceRow {
  accountId: string;
  businessId: string;
  alertEmails: string[];
  channelIds: string[];
}

/**
 * Who hears of trouble at each business, in one round trip: its alert addresses and every
 * channel of the account that one of its `instant` rules names, whatever that rule's
 * conditions. A rule whose channel was deleted names nothing.
 */
export async function listNoticeAudiences(db: Db, businessIds: string[]): Promise<NoticeAudienceRow[]> {
  if (businessIds.length === 0) return [];
  const rows = await db
    .selectFrom('businesses as b')
    .leftJoin('alert_rules as r', (join) => join.onRef('r.business_id', '=', 'b.id').on('r.delivery', '=', 'instant'))
    // Compared as text: a target without the key leaves the join empty instead of failing a cast.
    .leftJoin('alert_channels as c', (join) => join.on(sql<boolean>`c.id::text = r.target->>'channelId'`).onRef('c.account_id', '=', 'b.account_id'))
    .select(['b.id', 'b.account_id', 'b.alert_emails'])
    .select(sql<string[]>`coalesce(array_agg(DISTINCT c.id::text ORDER BY c.id::text) FILTER (WHERE c.id IS NOT NULL), '{}')`.as('channel_ids'))
    .where('b.id', '=', sql<string>`ANY(${businessIds}::uuid[])`)
    .groupBy('b.id')
    .execute();
  return rows.map((row) => ({ accountId: row.account_id, businessId: row.id, alertEmails: row.alert_emails, channelIds: row.channel_ids }));
}

/**
 * The business a source belongs to, the source locked against deletion until the caller's
 * transaction ends, so the notices written next find it.
 */
export async function lockSourceBusiness(tx: Db, sourceId: string): Promise<string | undefined> {
  const row = await tx.selectFrom('sources').select('business_id').where('id', '=', sourceId).forKeyShare().executeTakeFirst();
  return row?.business_id;
}
