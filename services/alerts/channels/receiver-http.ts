import { ConnectorError, type HttpRequest, type HttpResponse } from '../../../connectors/contract.ts';
import { redactAll } from '../../sources/http/request-secrets.ts';
import { ChannelError, type Channel, type ChannelContext, type ChannelReceipt } from './contract.ts';

/**
 * Errors that prove nothing reached the receiver: the connection was never made (refused,
 * no such host, no route, a TLS failure, a connect timeout). Anything else without a
 * status (a timeout waiting for the answer, a reset mid-request, a cancelled send) may
 * have come after the receiver took the message.
 */
const NOTHING_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Sends one request to a channel's receiver through the guarded client and answers its
 * response, or throws the ChannelError it means. Messages are scrubbed of `secrets`
 * (the channel's URL and keys), which the client cannot know are secret.
 */
export async function sendToReceiver(
  channel: Pick<Channel, 'type' | 'receiverDropsRepeats'>,
  ctx: ChannelContext,
  request: HttpRequest,
  secrets: readonly string[],
): Promise<HttpResponse> {
  try {
    return await ctx.http.send(request);
  } catch (error) {
    throw channelErrorOf(channel, error, secrets);
  }
}

export function channelErrorOf(channel: Pick<Channel, 'type' | 'receiverDropsRepeats'>, error: unknown, secrets: readonly string[]): ChannelError {
  if (error instanceof ChannelError) return error;
  if (!(error instanceof ConnectorError)) {
    return new ChannelError('unknown_outcome', `${channel.type} send failed unexpectedly`, { cause: error });
  }
  const message = redactAll(error.message, secrets);
  const options = { status: error.status, cause: error };
  switch (error.kind) {
    case 'config':
      return new ChannelError('config', message, options);
    case 'rate_limited':
      return new ChannelError('rate_limited', message, { ...options, retryAfterMs: error.retryAfterMs });
    case 'transient':
      // A status means the receiver answered and refused (5xx, a redirect loop): nothing was taken.
      if (error.status !== null || nothingSent(error)) return new ChannelError('transient', message, options);
      return unknownOutcome(channel, message, options);
    case 'bad_payload':
      // The client read a status, then gave up on an oversized body: the message may have been taken.
      return unknownOutcome(channel, message, options);
  }
}

function unknownOutcome(channel: Pick<Channel, 'receiverDropsRepeats'>, message: string, options: { status: number | null; cause: unknown }): ChannelError {
  // A receiver that drops repeats by delivery id makes a second try harmless.
  return new ChannelError(channel.receiverDropsRepeats ? 'transient' : 'unknown_outcome', `${message}; the receiver may have taken the message`, options);
}

function nothingSent(error: Error): boolean {
  for (let cause: unknown = error.cause, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const members = cause instanceof AggregateError ? [cause, ...cause.errors] : [cause];
    if (members.some((member) => NOTHING_SENT_CODES.has(String((member as { code?: unknown }).code)))) return true;
  }
  return false;
}

/** The receipt of an accepted HTTP request: its status, never its URL. */
export function httpReceipt(response: HttpResponse): ChannelReceipt {
  return { detail: `HTTP ${response.status}` };
}
