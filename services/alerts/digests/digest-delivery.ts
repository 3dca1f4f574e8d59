import type { Db } from '../../../db/database.ts';
import type { ClaimedDelivery } from '../../../db/repositories/alert-deliveries.ts';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { listDigestItems, type DigestEntryItem } from '../../../db/repositories/digest-entries.ts';
import { sourceName } from '../alert-email.ts';
import type { RenderedBusinessMessage } from '../business-deliveries.ts';
import { DeliveryNoLongerNeeded } from '../render-delivery.ts';
import { businessDigestSchedule } from './business-schedule.ts';
import { fitForChannels } from './channel-text.ts';
import { renderDigest } from './digest-content.ts';
import type { DigestItem } from './digest-item.ts';
import { cadenceOfDigest } from './digest-kinds.ts';
import { digestPeriodOfKey } from './period-of-key.ts';

/**
 * Renders a digest delivery (registered in business-deliveries.ts for both kinds): the
 * items the scheduler put in it (services/scheduler/send-digests.ts), read as they are
 * now — answered or not — for the period its key names. The email carries the HTML;
 * a channel gets the title and the text, cut between items to what chat channels take.
 * Items deleted since are left out; when none is left, nobody needs the digest.
 *
 * A function declaration, not a const: business-deliveries.ts lists it while this file's
 * own import of render-delivery.ts (which imports business-deliveries.ts) is still loading.
 */
export async function renderDigestDelivery(db: Db, delivery: ClaimedDelivery & { businessId: string }, publicUrl: string): Promise<RenderedBusinessMessage> {
  const cadence = cadenceOfDigest(delivery.kind);
  const [business, items] = await Promise.all([
    findBusiness(db, { accountId: delivery.accountId, businessIds: null }, delivery.businessId),
    listDigestItems(db, delivery.id),
  ]);
  const inboxUrl = `${publicUrl}/`;
  const digest =
    business === undefined
      ? null
      : renderDigest({
          businessName: business.name,
          cadence,
          period: digestPeriodOfKey(businessDigestSchedule({ ...business, timeZone: business.timezone }, cadence), delivery.incident),
          timeZone: business.timezone,
          items: items.map((item) => digestItemOf(item, publicUrl)),
          inboxUrl,
        });
  if (digest === null) throw new DeliveryNoLongerNeeded(`every item of digest ${delivery.id} was deleted`);
  return forRecipient(digest, delivery.channelId, inboxUrl);
}

function forRecipient(digest: RenderedBusinessMessage, channelId: string | null, inboxUrl: string): RenderedBusinessMessage {
  return channelId === null ? digest : { ...digest, text: fitForChannels(digest.text, inboxUrl) };
}

function digestItemOf(item: DigestEntryItem, publicUrl: string): DigestItem {
  return {
    itemId: item.id,
    kind: item.kind,
    sourceName: sourceName(item.sourceType),
    rating: item.rating,
    sentiment: item.sentimentLabel,
    topics: item.topics,
    author: item.author,
    title: item.title,
    text: item.body,
    publishedAt: item.publishedAt,
    itemUrl: `${publicUrl}/items/${item.id}`,
    answered: item.answered,
  };
}
