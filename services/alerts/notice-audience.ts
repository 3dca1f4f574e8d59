import type { Db } from '../../db/database.ts';
import type { NewDelivery } from '../../db/repositories/alert-deliveries.ts';
import { listNoticeAudiences, lockSourceBusiness, type NoticeAudienceRow } from '../../db/repositories/notice-audiences.ts';
import type { Recipient } from './rules/rule-recipients.ts';

/**
 * The business's notice recipients: who hears of everything about a business that is not an
 * item routed by its rules — a source that needs attention or went quiet, an item past its
 * SLA, a spike of bad items. They are its alert addresses (lower-cased, each once) and every
 * channel its `instant` rules name, whatever those rules' conditions: a channel set up to hear
 * of bad items at once is where the business expects to hear of trouble too.
 */
export interface NoticeAudience {
  accountId: string;
  businessId: string;
  recipients: Recipient[];
}

/** What a notice is about: one item, one source, or the business as a whole. */
export type NoticeSubject = { itemId: string } | { sourceId: string } | { businessId: string };

/** The notice recipients of each business, by business id; a business that no longer exists is left out. */
export async function noticeAudiences(db: Db, businessIds: readonly string[]): Promise<Map<string, NoticeAudience>> {
  const rows = await listNoticeAudiences(db, [...new Set(businessIds)]);
  return new Map(rows.map((row) => [row.businessId, audienceOf(row)]));
}

/**
 * The notice recipients of a source's business, the source locked against deletion until the
 * caller's transaction ends; undefined when the source no longer exists.
 */
export async function sourceNoticeAudience(tx: Db, sourceId: string): Promise<NoticeAudience | undefined> {
  const businessId = await lockSourceBusiness(tx, sourceId);
  return businessId === undefined ? undefined : (await noticeAudiences(tx, [businessId])).get(businessId);
}

/** One pending delivery about `subject` for each of the audience's recipients. */
export function noticeDeliveries(audience: NoticeAudience, subject: NoticeSubject, kind: string, incident: string): NewDelivery[] {
  return audience.recipients.map((to) => ({
    accountId: audience.accountId,
    itemId: 'itemId' in subject ? subject.itemId : null,
    sourceId: 'sourceId' in subject ? subject.sourceId : null,
    signInLinkId: null,
    businessId: 'businessId' in subject ? subject.businessId : null,
    ...addressOf(to),
    kind,
    incident,
  }));
}

/** Each address once, lower-cased: `Owner@Shop.test` and `owner@shop.test` are one inbox. */
export function recipientsOf(alertEmails: readonly string[]): string[] {
  return [...new Set(alertEmails.map((address) => address.toLowerCase()))];
}

/** A channel's recipient text only has to be unique per channel; the channel id says where it goes. */
export function addressOf(to: Recipient): { channelId: string | null; recipient: string } {
  return 'channelId' in to ? { channelId: to.channelId, recipient: `channel:${to.channelId}` } : { channelId: null, recipient: to.email };
}

function audienceOf(row: NoticeAudienceRow): NoticeAudience {
  const emails: Recipient[] = recipientsOf(row.alertEmails).map((email) => ({ email }));
  const channels: Recipient[] = row.channelIds.map((channelId) => ({ channelId }));
  return { accountId: row.accountId, businessId: row.businessId, recipients: [...emails, ...channels] };
}
