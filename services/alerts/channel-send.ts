import type { Logger } from '../../connectors/contract.ts';
import type { AlertChannelSettings } from '../../db/repositories/alert-channels.ts';
import { CredentialsDecryptionError, type CredentialsKey } from '../sources/credentials.ts';
import { createConnectorHttp } from '../sources/http/connector-http.ts';
import { redactAll } from '../sources/http/request-secrets.ts';
import { openChannelSecrets } from './channel-sealing.ts';
import { channelSecrets } from './channels/channel-secrets.ts';
import { ChannelError, type AlertMessage } from './channels/contract.ts';
import { findChannel } from './channels/registry.ts';
import type { MailTransport } from './mail-transport.ts';

/**
 * One message through one stored channel: its secrets opened, its URLs held to the
 * private-address rule, and whatever went wrong turned into a ChannelError whose message
 * quotes none of the channel's secrets. The one path for test messages and the outbox.
 */

export interface ChannelSendDeps {
  credentialsKey: CredentialsKey;
  /** EARSHOT_ALLOW_PRIVATE_URLS: channel URLs may point at this machine or a private network. */
  allowPrivateUrls: boolean;
  /** For email channels: the server's transport and the From address of alert emails. */
  mail: { transport: MailTransport; from: string };
  log: Logger;
}

export type ChannelSendResult =
  | { ok: true; detail: string }
  /** `error.message` is scrubbed of the channel's secrets. */
  | { ok: false; error: ChannelError };

export async function sendThroughChannel(
  stored: AlertChannelSettings,
  message: AlertMessage,
  deps: ChannelSendDeps,
  limitMs: number,
): Promise<ChannelSendResult> {
  const channel = findChannel(stored.type);
  let secrets: readonly string[] = [];
  const signal = AbortSignal.timeout(limitMs);
  const http = createConnectorHttp({ platform: stored.type, allowPrivateUrls: deps.allowPrivateUrls, signal, log: deps.log });
  try {
    if (channel === undefined) throw new ChannelError('config', `channel type ${stored.type} is no longer supported; delete this channel`);
    const opened = openChannelSecrets(deps.credentialsKey, stored.id, stored.sealedCredentials);
    const config = { ...stored.config, ...opened.config };
    secrets = channelSecrets([channel.configSchema, channel.credentialsSchema], config, opened.credentials);
    const ctx = { http, mail: deps.mail, log: deps.log, now: () => new Date(), signal };
    const receipt = await channel.send(message, config, opened.credentials, ctx);
    return { ok: true, detail: redactAll(receipt.detail, secrets) };
  } catch (error) {
    const failure = asChannelError(error, deps.log);
    const scrubbed = new ChannelError(failure.kind, redactAll(failure.message, secrets), {
      retryAfterMs: failure.retryAfterMs,
      status: failure.status,
      field: failure.field,
    });
    return { ok: false, error: scrubbed };
  } finally {
    await http.close();
  }
}

/**
 * A channel's own error as it is; anything else (a decryption failure, a bug) in words
 * that quote nothing. An unexpected failure may have happened after the message left,
 * so it counts as an unknown outcome, as the contract says.
 */
function asChannelError(error: unknown, log: Logger): ChannelError {
  if (error instanceof ChannelError) return error;
  if (error instanceof CredentialsDecryptionError) return new ChannelError('config', error.message);
  log.error({ err: error }, 'channel send failed unexpectedly');
  return new ChannelError('unknown_outcome', 'the channel failed unexpectedly; the server log has the details');
}
