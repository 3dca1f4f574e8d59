import { findAlertChannelSettings, recordAlertChannelOutcome } from '../../db/repositories/alert-channels.ts';
import { markDeliveryUnknown, releaseDelivery, type ClaimedDelivery, type SentDetail } from '../../db/repositories/alert-deliveries.ts';
import { channelNeedsAttention } from './channel-attention.ts';
import { sendThroughChannel } from './channel-send.ts';
import type { DeliveryDeps } from './deliver.ts';
import { DeliveryNoLongerNeeded, renderChannelMessage } from './render-delivery.ts';

/** Longest one channel send may take: the channels' own requests time out well before. */
const CHANNEL_SEND_LIMIT_MS = 60_000;

/**
 * How one claimed channel delivery went. What the channel's error means for the next
 * attempt is decided here, as the channel contract leaves it to the core:
 * - accepted: the caller records it sent (through the sent journal, as for email);
 * - `unknown_outcome`: settled as `unknown` now, never claimed again — the message may have
 *   arrived, and a second one would be a double; delivery health shows it with the reason;
 * - `config`: released with the error; the channel needs attention, its owners are told once;
 * - `rate_limited`: released; the next attempt waits `retryAfterMs`;
 * - `transient`: released; retried with the job's backoff.
 */
export type ChannelAttempt =
  | { outcome: 'accepted'; detail: SentDetail }
  | { outcome: 'unknown' }
  | { outcome: 'released'; message: string; retryAfterMs: number | null; notices: string[] };

export async function attemptChannelDelivery(delivery: ClaimedDelivery, channelId: string, deps: DeliveryDeps): Promise<ChannelAttempt> {
  const message = await renderChannelMessage(deps.db, delivery, deps.config.publicUrl);
  const stored = await findAlertChannelSettings(deps.db, delivery.accountId, channelId);
  // Deleting a channel deletes its deliveries; this one was claimed just before.
  if (stored === undefined) throw new DeliveryNoLongerNeeded(`the channel of delivery ${delivery.id} was deleted`);
  const sendDeps = {
    credentialsKey: deps.credentialsKey,
    allowPrivateUrls: deps.config.allowPrivateUrls,
    mail: { transport: deps.mail, from: deps.config.alertFrom },
    log: deps.log,
  };
  const result = await sendThroughChannel(stored, message, sendDeps, CHANNEL_SEND_LIMIT_MS);
  const at = new Date();
  if (result.ok) {
    // Health is advisory: a failure to record it must not turn a sent alert into a resend.
    await recordAlertChannelOutcome(deps.db, delivery.accountId, channelId, { ok: true, at }).catch((error: unknown) => {
      deps.log.warn({ channelId, err: error instanceof Error ? error.message : String(error) }, 'could not record channel health');
    });
    return { outcome: 'accepted', detail: { kind: delivery.kind, channel: { id: stored.id, name: stored.name, type: stored.type }, receipt: result.detail } };
  }
  const { error } = result;
  const said = `${stored.name}: ${error.message}`;
  if (error.kind === 'unknown_outcome') {
    await markDeliveryUnknown(deps.db, delivery, `outcome unknown, not resent: ${said}`);
    await recordAlertChannelOutcome(deps.db, delivery.accountId, channelId, { ok: false, at, message: error.message, needsAttention: false });
    deps.log.warn({ deliveryId: delivery.id, channelId }, 'channel send outcome unknown; kept as unknown, never resent');
    return { outcome: 'unknown' };
  }
  await releaseDelivery(deps.db, delivery, said);
  if (error.kind === 'config') {
    const notices = await channelNeedsAttention(deps.db, delivery, channelId, error.message);
    return { outcome: 'released', message: said, retryAfterMs: null, notices };
  }
  await recordAlertChannelOutcome(deps.db, delivery.accountId, channelId, { ok: false, at, message: error.message, needsAttention: false });
  return { outcome: 'released', message: said, retryAfterMs: error.kind === 'rate_limited' ? error.retryAfterMs : null, notices: [] };
}
