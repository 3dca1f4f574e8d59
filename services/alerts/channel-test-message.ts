import { randomUUID } from 'node:crypto';
import type { Logger } from '../../connectors/contract.ts';
import { findAlertChannelSettings, recordAlertChannelOutcome, type AlertChannelRecord } from '../../db/repositories/alert-channels.ts';
import { CredentialsDecryptionError } from '../sources/credentials.ts';
import { createConnectorHttp } from '../sources/http/connector-http.ts';
import { redactAll } from '../sources/http/request-secrets.ts';
import type { ChannelStore } from './channel-changes.ts';
import { openChannelSecrets } from './channel-sealing.ts';
import { channelSecrets } from './channels/channel-secrets.ts';
import { ChannelError, type AlertMessage, type ChannelErrorKind } from './channels/contract.ts';
import { findChannel } from './channels/registry.ts';
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
  const channel = findChannel(stored.type);
  let secrets: readonly string[] = [];
  let failure: ChannelError;
  const signal = AbortSignal.timeout(TEST_SEND_LIMIT_MS);
  const http = createConnectorHttp({ platform: stored.type, allowPrivateUrls: deps.allowPrivateUrls, signal, log: deps.log });
  try {
    if (channel === undefined) throw new ChannelError('config', `channel type ${stored.type} is no longer supported; delete this channel`);
    const opened = openChannelSecrets(deps.credentialsKey, stored.id, stored.sealedCredentials);
    const config = { ...stored.config, ...opened.config };
    secrets = channelSecrets([channel.configSchema, channel.credentialsSchema], config, opened.credentials);
    const ctx = { http, mail: deps.mail, log: deps.log, now: () => new Date(), signal };
    const receipt = await channel.send(testMessage(stored.name), config, opened.credentials, ctx);
    const healthy = await recordAlertChannelOutcome(deps.db, accountId, id, { ok: true, at: new Date() });
    return healthy === undefined ? { outcome: 'not_found' } : { outcome: 'sent', detail: redactAll(receipt.detail, secrets), channel: healthy };
  } catch (error) {
    failure = asChannelError(error, deps.log);
  } finally {
    await http.close();
  }
  const message = redactAll(failure.message, secrets);
  const channelNow = await recordAlertChannelOutcome(deps.db, accountId, id, { ok: false, at: new Date(), message, needsAttention: failure.kind === 'config' });
  return channelNow === undefined ? { outcome: 'not_found' } : { outcome: 'failed', kind: failure.kind, message, channel: channelNow };
}

/** A channel's own error as it is; anything else (a decryption failure, a bug) in words that quote nothing. */
function asChannelError(error: unknown, log: Logger): ChannelError {
  if (error instanceof ChannelError) return error;
  if (error instanceof CredentialsDecryptionError) return new ChannelError('config', error.message);
  log.error({ err: error }, 'test message failed unexpectedly');
  return new ChannelError('unknown_outcome', 'the channel failed unexpectedly; the server log has the details');
}
