import { channelSecrets } from '../channel-secrets.ts';
import { webhookUrlSettings } from '../config-fields.ts';
import type { Channel, FieldSpec } from '../contract.ts';
import { httpReceipt, sendToReceiver } from '../receiver-http.ts';
import { teamsPayload } from './card.ts';

export interface TeamsConfig {
  webhookUrl: string;
}

const configSchema: Record<string, FieldSpec> = {
  webhookUrl: {
    type: 'url',
    required: true,
    secret: true,
    description: 'The URL of a Teams Workflows flow "Post to a channel when a webhook request is received"',
  },
};

/**
 * Microsoft Teams through a Workflows (Power Automate) webhook, which replaced the retired
 * Office 365 connectors. The flow answers 202 once it has queued the post.
 */
export const teams: Channel<TeamsConfig, Record<string, never>> = {
  type: 'teams',
  displayName: 'Microsoft Teams',
  configSchema,
  credentialsSchema: {},
  receiverDropsRepeats: false,

  parseConfig: (config, credentials, rules) => webhookUrlSettings(config, credentials, rules, configSchema),

  /** A no-op: every request a flow accepts becomes a post, so only a test message proves the URL. */
  async check() {},

  async send(message, config, _credentials, ctx) {
    const response = await sendToReceiver(
      teams,
      ctx,
      { method: 'POST', url: config.webhookUrl, body: teamsPayload(message), label: 'message' },
      channelSecrets([configSchema], config),
    );
    return httpReceipt(response);
  },
};
