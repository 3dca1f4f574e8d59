import { expect } from 'vitest';
import { slack } from '../../../../services/alerts/channels/slack/index.ts';
import type { ChannelAdapter } from '../adapter.ts';
import { nockReceiver } from '../nock-receiver.ts';

const WEBHOOK_URL = 'https://hooks.slack.test/services/T0000/B0000/XXXXsecretXXXX';

export const adapter: ChannelAdapter = {
  channel: slack,
  settings: () => ({ config: { webhookUrl: WEBHOOK_URL }, credentials: {} }),
  urlField: 'webhookUrl',
  failures: ['refuse', 'rate_limit', 'unavailable', 'hang'],
  refusalStatus: 403,
  hangKind: 'unknown_outcome',
  start: async () => nockReceiver(WEBHOOK_URL, { status: 200, body: 'ok' }),
  expectWireForm(received, message) {
    expect(received.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(received.body) as { text: string; blocks: Array<Record<string, any>> };
    expect(payload.text).toBe(message.text);
    expect(payload.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.title, emoji: true } });
    if (message.item === undefined) {
      expect(payload.blocks[1]).toEqual({ type: 'section', text: { type: 'plain_text', text: message.text, emoji: true } });
      return;
    }
    const { item } = message;
    expect(payload.blocks[1]).toEqual({
      type: 'section',
      fields: [
        // mrkdwn: &, < and > escaped, so a name or author cannot make links or mentions.
        { type: 'mrkdwn', text: '*Business*\nCafé Müller &amp; Söhne' },
        { type: 'mrkdwn', text: '*Source*\nGoogle' },
        { type: 'mrkdwn', text: '*Rating*\n★☆☆☆☆ (1/5)' },
        { type: 'mrkdwn', text: '*Author*\nInvented Person &lt;b&gt;' },
        { type: 'mrkdwn', text: '*Date*\n2026-03-02 11:05 UTC' },
      ],
    });
    // The review's words as plain text: `<!channel>` pings nobody.
    expect(payload.blocks[2]).toEqual({ type: 'section', text: { type: 'plain_text', text: `${item.title}\n\n${item.text}`, emoji: true } });
    expect(payload.blocks[3]).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open in Earshot', emoji: true }, url: item.itemUrl, style: 'primary' },
        { type: 'button', text: { type: 'plain_text', text: 'View original', emoji: true }, url: item.originalUrl },
      ],
    });
  },
};
