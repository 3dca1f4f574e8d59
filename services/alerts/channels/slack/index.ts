import { channelSecrets } from '../channel-secrets.ts';
import { webhookUrlSettings } from '../config-fields.ts';
import { ChannelError, type Channel, type FieldSpec } from '../contract.ts';
import { httpReceipt, sendToReceiver } from '../receiver-http.ts';
import { slackPayload } from './blocks.ts';

export interface SlackConfig {
  webhookUrl: string;
}

const configSchema: Record<string, FieldSpec> = {
  webhookUrl: {
    type: 'url',
    required: true,
    secret: true,
    description: 'The incoming webhook URL of a Slack app (Incoming Webhooks), which posts to one channel',
  },
};

/**
 * Slack through an incoming webhook. Slack answers 200 "ok", a 4xx naming the problem
 * (`invalid_payload`, `no_service`, `channel_is_archived`, …: the owner must fix the
 * webhook) or 429 with Retry-After.
 */
export const slack: Channel<SlackConfig, Record<string, never>> = {
  type: 'slack',
  displayName: 'Slack',
  configSchema,
  credentialsSchema: {},
  receiverDropsRepeats: false,

  parseConfig: (config, credentials, rules) => webhookUrlSettings(config, credentials, rules, configSchema),

  /**
   * An empty message is refused by a live webhook with 400 `no_text`, and with 403/404
   * by a revoked or unknown one: a proof that posts nothing to the channel.
   */
  async check(config, _credentials, ctx) {
    const response = await sendToReceiver(
      slack,
      ctx,
      { method: 'POST', url: config.webhookUrl, body: {}, label: 'webhook check', answers: [400] },
      channelSecrets([configSchema], config),
    );
    if (response.status === 400 && response.text.trim() !== 'no_text') {
      throw new ChannelError('config', `slack webhook check failed with HTTP 400: ${response.text.trim().slice(0, 100)}`, { status: 400 });
    }
  },

  async send(message, config, _credentials, ctx) {
    const response = await sendToReceiver(
      slack,
      ctx,
      { method: 'POST', url: config.webhookUrl, body: slackPayload(message), label: 'message' },
      channelSecrets([configSchema], config),
    );
    return httpReceipt(response);
  },
};
