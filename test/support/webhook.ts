import { expect } from 'vitest';
import { signWebhook } from '../../connectors/webhook/signature.ts';
import type { ApiHarness } from './api.ts';

/** Creates a push (webhook) source for the harness's business through the API; its id. */
export async function createWebhookSource(h: ApiHarness, secret: string): Promise<string> {
  const created = await h.call({
    method: 'POST',
    url: `/v1/businesses/${h.tenant.businessId}/sources`,
    payload: { type: 'webhook', config: {}, credentials: { secret } },
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

/** The headers of a webhook request signed with `secret` at `timestamp` (Unix seconds). */
export function signedWebhookHeaders(secret: string, timestamp: number, body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-earshot-timestamp': String(timestamp), 'x-earshot-signature': signWebhook(secret, timestamp, body) };
}
