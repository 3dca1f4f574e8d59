import type { Connector } from '../contract.ts';
import { configSchema, credentialsSchema, parseSettings, type WebhookConfig, type WebhookCredentials } from './settings.ts';

/**
 * Items pushed to Earshot (POST /v1/webhooks/:sourceId) by a platform or an
 * automation tool, signed with the source's secret. Nothing is polled.
 */
export const webhook: Connector<WebhookConfig, WebhookCredentials> = {
  id: 'webhook',
  version: '1.0.0',
  displayName: 'Webhook (push)',
  shortName: 'Webhook (push)',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  // Never polled: new webhook sources are not scheduled (see the source routes).
  defaultPollMinutes: 10_080,
  budget: { requests: 1, windowSeconds: 1 },
  capabilities: { hasRatings: true, detectsOwnerReplies: true, seesEdits: true, push: true, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check() {
    // Nothing to call: the sender proves the secret on every request.
  },
  async *fetch() {
    // Push only: items arrive through the webhook route, not by polling.
  },
};
