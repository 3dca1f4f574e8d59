import { createHmac, timingSafeEqual } from 'node:crypto';
import { expect } from 'vitest';
import { webhook } from '../../../../services/alerts/channels/webhook/index.ts';
import type { ChannelAdapter } from '../adapter.ts';
import { nockReceiver } from '../nock-receiver.ts';

const RECEIVER_URL = 'https://automation.example.test/earshot/alerts';
const SECRET = 'whsec-0123456789abcdef0123456789';

/** The receiver's side, as documented: HMAC-SHA256 of "<timestamp>.<raw body>", compared in constant time. */
function verify(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const adapter: ChannelAdapter = {
  channel: webhook,
  settings: () => ({ config: { url: RECEIVER_URL }, credentials: { secret: SECRET } }),
  urlField: 'url',
  failures: ['refuse', 'rate_limit', 'unavailable', 'hang'],
  refusalStatus: 410,
  // Receivers drop repeats by X-Earshot-Delivery, so trying again is safe.
  hangKind: 'transient',
  start: async () => nockReceiver(RECEIVER_URL, { status: 204, body: '' }),
  expectWireForm(received, message, now) {
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['x-earshot-delivery']).toBe(message.deliveryId);
    expect(received.headers['x-earshot-timestamp']).toBe(String(now.getTime() / 1000));
    expect(verify(SECRET, received.headers['x-earshot-timestamp']!, received.body, received.headers['x-earshot-signature']!)).toBe(true);
    expect(verify('another-secret-entirely-0000', received.headers['x-earshot-timestamp']!, received.body, received.headers['x-earshot-signature']!)).toBe(false);
    expect(JSON.parse(received.body)).toEqual({
      deliveryId: message.deliveryId,
      kind: message.kind,
      title: message.title,
      text: message.text,
      item: message.item === undefined ? null : { ...message.item, publishedAt: message.item.publishedAt.toISOString() },
    });
  },
};
