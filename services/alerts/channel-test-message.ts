import { randomUUID } from 'node:crypto';
import type { Logger } from '../../connectors/contract.ts';
import { findAlertChannelSettings, recordAlertChannelOutcome, type AlertChannelRecord } from '../../db/repositories/alert-channels.ts';
import type { ChannelStore } from './channel-changes.ts';
import { sendThroughChannel } from './channel-send.ts';
import type { AlertMessage, ChannelErrorKind } from './channels/contract.ts';
import type { MailTransport } from './mail-transport.ts';

/**
 * "Send a test": one `test` message through a channel now, straight through its `send`
 * rather than the outbox — the owner is waiting for the answer — and what it teaches
 * about the channel's health recorded as a real send's would be.
 */

export interface TestSendDeps extends ChannelStore {
  /** For email channels: the server's transport and the From address of alert emails. */
  mail: { transport: MailTransport; from: string };
  log: Logger;
}

export type TestSendResult =
  | { outcome: 'not_found' }
  | { outcome: 'sent'; detail: string; channel: AlertChannelRecord }
  /** `message` is the channel's error, scrubbed of the channel's secrets. */
  | { outcome: 'failed'; kind: ChannelErrorKind; message: string; channel: AlertChannelRecord };

/** Longest the owner waits for a test: the channels' own requests time out well before. */
const TEST_SEND_LIMIT_MS = 60_000;

function testMessage(channelName: string): AlertMessage {
  return {
    // A fresh id: a test is its own delivery, so a receiver that drops repeats takes every test.
    deliveryId: randomUUID(),
    kind: 'test',
    title: 'Earshot test message',
    text: `This is a test from Earshot. Alerts sent to "${channelName}" will arrive here like this.`,
  };
}

export async function sendTestMessage(deps: TestSendDeps, accountId: string, id: string): Promise<TestSendResult> {
  const stored = await findAlertChannelSettings(deps.db, accountId, id);
  if (stored === undefined) return { outcome: 'not_found' };
  const result = await sendThroughChannel(stored, testMessage(stored.name), deps, TEST_SEND_LIMIT_MS);
  if (result.ok) {
    const healthy = await recordAlertChannelOutcome(deps.db, accountId, id, { ok: true, at: new Date() });
    return healthy === undefined ? { outcome: 'not_found' } : { outcome: 'sent', detail: result.detail, channel: healthy };
  }
  const { kind, message } = result.error;
  const channelNow = await recordAlertChannelOutcome(deps.db, accountId, id, { ok: false, at: new Date(), message, needsAttention: kind === 'config' });
  return channelNow === undefined ? { outcome: 'not_found' } : { outcome: 'failed', kind, message, channel: channelNow };
}
