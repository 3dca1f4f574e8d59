import type { Db } from '../../db/database.ts';
import { lockAlertChannelStatus, recordAlertChannelOutcome } from '../../db/repositories/alert-channels.ts';
import { findBusinessAudience, findSourceAudience, insertDeliveries, listItemAudiences, type ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { CHANNEL_NEEDS_ATTENTION, channelIncident } from './channel-notice-email.ts';

/**
 * A channel refused its settings while carrying `delivery`: the channel is marked as
 * needing attention with the receiver's words, and — only when it was working until now,
 * decided under the channel's row lock — the owners are told by email: one notice to each
 * alert address of the business the delivery is about (through its item or source, or
 * directly, as a digest is). Later refusals of the same incident only update the error.
 * Returns the notices written, for the caller to send.
 */
export async function channelNeedsAttention(db: Db, delivery: ClaimedDelivery, channelId: string, message: string): Promise<string[]> {
  const at = new Date();
  return db.transaction().execute(async (tx) => {
    const before = await lockAlertChannelStatus(tx, delivery.accountId, channelId);
    if (before === undefined) return [];
    await recordAlertChannelOutcome(tx, delivery.accountId, channelId, { ok: false, at, message, needsAttention: true });
    if (before === 'needs_attention') return [];
    const audience =
      delivery.itemId !== null
        ? (await listItemAudiences(tx, [delivery.itemId]))[0]
        : delivery.sourceId !== null
          ? await findSourceAudience(tx, delivery.sourceId)
          : delivery.businessId !== null
            ? await findBusinessAudience(tx, delivery.businessId)
            : undefined;
    if (audience === undefined) return [];
    return insertDeliveries(
      tx,
      audience.alertEmails.map((recipient) => ({
        accountId: delivery.accountId,
        itemId: delivery.itemId,
        sourceId: delivery.itemId === null ? delivery.sourceId : null,
        // A digest (or another delivery about the business): the notice is about the business too.
        businessId: delivery.itemId === null && delivery.sourceId === null ? delivery.businessId : null,
        signInLinkId: null,
        recipient,
        kind: CHANNEL_NEEDS_ATTENTION,
        incident: channelIncident(channelId, at),
      })),
    );
  });
}
