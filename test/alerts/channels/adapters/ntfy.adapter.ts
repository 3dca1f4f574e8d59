import { expect } from 'vitest';
import { ntfy } from '../../../../services/alerts/channels/ntfy/index.ts';
import type { ChannelAdapter } from '../adapter.ts';
import { nockReceiver } from '../nock-receiver.ts';

const TOPIC_URL = 'https://ntfy.example.test/earshot-XXXXsecretXXXX';
const TOKEN = 'tk_0123456789abcdefghij';

/** RFC 2047 "B" encoded-words, as ntfy decodes them. */
function decodeWord(value: string): string {
  const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value);
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : value;
}

export const adapter: ChannelAdapter = {
  channel: ntfy,
  settings: () => ({ config: { topicUrl: TOPIC_URL }, credentials: { accessToken: TOKEN } }),
  urlField: 'topicUrl',
  failures: ['refuse', 'rate_limit', 'unavailable', 'hang'],
  refusalStatus: 403,
  hangKind: 'unknown_outcome',
  start: async () => nockReceiver(TOPIC_URL, { status: 200, body: '{"id":"abc123","event":"message"}' }),
  expectWireForm(received, message) {
    expect(received.body).toBe(message.text);
    expect(received.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(received.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(decodeWord(received.headers.title!)).toBe(message.title);
    if (message.item === undefined) {
      expect(received.headers).toMatchObject({ priority: 'default', tags: 'white_check_mark' });
      expect(received.headers.click).toBeUndefined();
      return;
    }
    // A 1-star review buzzes the phone harder.
    expect(received.headers).toMatchObject({ priority: 'high', tags: 'warning', click: message.item.itemUrl });
  },
};
