import { channelSecrets } from '../channel-secrets.ts';
import { channelUrl, optionalToken, rejectUnknownFields } from '../config-fields.ts';
import type { Channel, FieldSpec } from '../contract.ts';
import { httpReceipt, sendToReceiver } from '../receiver-http.ts';
import { ntfyBody, ntfyHeaders } from './headers.ts';

export interface NtfyConfig {
  topicUrl: string;
}

export interface NtfyCredentials {
  accessToken?: string;
}

const configSchema: Record<string, FieldSpec> = {
  topicUrl: {
    type: 'url',
    required: true,
    // On a public server the topic name is the only thing keeping strangers out.
    secret: true,
    description: 'The topic URL on an ntfy server, e.g. https://ntfy.sh/<a hard-to-guess topic>',
  },
};
const credentialsSchema: Record<string, FieldSpec> = {
  accessToken: {
    type: 'string',
    required: false,
    secret: true,
    description: 'An ntfy access token (tk_…), for a server or topic that requires one',
  },
};

/**
 * Push to phones through ntfy (self-hosted or ntfy.sh), no vendor account needed: one
 * POST of the plain text to the topic URL, with Title, Priority, Tags and Click headers.
 */
export const ntfy: Channel<NtfyConfig, NtfyCredentials> = {
  type: 'ntfy',
  displayName: 'ntfy',
  configSchema,
  credentialsSchema,
  receiverDropsRepeats: false,

  parseConfig(config, credentials, rules) {
    rejectUnknownFields('config', config, configSchema);
    rejectUnknownFields('credentials', credentials, credentialsSchema);
    const accessToken = optionalToken('credentials', credentials, 'accessToken');
    return {
      config: { topicUrl: channelUrl('config', config, 'topicUrl', rules) },
      credentials: accessToken === undefined ? {} : { accessToken },
    };
  },

  /** A no-op: ntfy has no way to prove the right to publish short of publishing; "send a test" proves it. */
  async check() {},

  async send(message, config, credentials, ctx) {
    const response = await sendToReceiver(
      ntfy,
      ctx,
      { method: 'POST', url: config.topicUrl, body: ntfyBody(message), headers: ntfyHeaders(message, credentials.accessToken), label: 'publish' },
      channelSecrets([configSchema, credentialsSchema], config, credentials),
    );
    return httpReceipt(response);
  },
};
