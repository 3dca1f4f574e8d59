import { signWebhook } from '../../../../connectors/webhook/signature.ts';
import { channelSecrets } from '../channel-secrets.ts';
import { channelSecret, channelUrl, rejectUnknownFields } from '../config-fields.ts';
import type { Channel, FieldSpec } from '../contract.ts';
import { httpReceipt, sendToReceiver } from '../receiver-http.ts';
import { webhookBody } from './payload.ts';

export interface WebhookConfig {
  url: string;
}

export interface WebhookCredentials {
  secret: string;
}

// As for inbound webhook sources: a short secret can be guessed offline from one signed request.
const MIN_SECRET_LENGTH = 24;

const configSchema: Record<string, FieldSpec> = {
  url: { type: 'url', required: true, secret: false, description: 'Where each alert is POSTed as JSON' },
};
const credentialsSchema: Record<string, FieldSpec> = {
  secret: {
    type: 'string',
    required: true,
    secret: true,
    description: `The key of the X-Earshot-Signature HMAC, at least ${MIN_SECRET_LENGTH} characters, shared with the receiver`,
  },
};

/**
 * A JSON POST to any receiver, signed as inbound webhooks are: `X-Earshot-Signature` is
 * `sha256=` + hex HMAC-SHA256 of `<X-Earshot-Timestamp>.<raw body>` under the secret.
 * `X-Earshot-Delivery` (also `deliveryId` in the body) is the same on every try of one
 * message, so receivers drop repeats by it — which makes a retry after a timeout safe.
 */
export const webhook: Channel<WebhookConfig, WebhookCredentials> = {
  type: 'webhook',
  displayName: 'Webhook',
  configSchema,
  credentialsSchema,
  receiverDropsRepeats: true,

  parseConfig(config, credentials, rules) {
    rejectUnknownFields('config', config, configSchema);
    rejectUnknownFields('credentials', credentials, credentialsSchema);
    return {
      config: { url: channelUrl('config', config, 'url', rules) },
      credentials: { secret: channelSecret('credentials', credentials, 'secret', MIN_SECRET_LENGTH) },
    };
  },

  /** A no-op: a receiver has no way to be asked without being sent a message; "send a test" proves it. */
  async check() {},

  async send(message, config, credentials, ctx) {
    const body = webhookBody(message);
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const response = await sendToReceiver(
      webhook,
      ctx,
      {
        method: 'POST',
        url: config.url,
        body,
        headers: {
          'content-type': 'application/json',
          'x-earshot-timestamp': String(timestamp),
          'x-earshot-signature': signWebhook(credentials.secret, timestamp, body),
          'x-earshot-delivery': message.deliveryId,
        },
        label: 'delivery',
      },
      channelSecrets([configSchema, credentialsSchema], config, credentials),
    );
    return httpReceipt(response);
  },
};
