import { expect } from 'vitest';
import { teams } from '../../../../services/alerts/channels/teams/index.ts';
import type { ChannelAdapter } from '../adapter.ts';
import { nockReceiver } from '../nock-receiver.ts';

const WEBHOOK_URL = 'https://prod-00.westeurope.logic.azure.test/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sig=XXXXsecretXXXX';

export const adapter: ChannelAdapter = {
  channel: teams,
  settings: () => ({ config: { webhookUrl: WEBHOOK_URL }, credentials: {} }),
  urlField: 'webhookUrl',
  failures: ['refuse', 'rate_limit', 'unavailable', 'hang'],
  refusalStatus: 400,
  hangKind: 'unknown_outcome',
  // A flow answers 202 once it has queued the post.
  start: async () => nockReceiver(WEBHOOK_URL, { status: 202, body: '' }),
  expectWireForm(received, message) {
    expect(received.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(received.body) as { type: string; attachments: Array<{ contentType: string; contentUrl: null; content: Record<string, any> }> };
    expect(payload.type).toBe('message');
    expect(payload.attachments).toHaveLength(1);
    const [attachment] = payload.attachments;
    expect(attachment).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null });
    const card = attachment!.content;
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', fallbackText: message.text });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: message.title, wrap: true, weight: 'Bolder' });
    if (message.item === undefined) {
      expect(card.body[1]).toEqual({ type: 'TextBlock', text: message.text, wrap: true });
      expect(card.actions).toBeUndefined();
      return;
    }
    const { item } = message;
    expect(card.body[1]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Business', value: 'Café Müller & Söhne' },
        { title: 'Source', value: 'Google' },
        { title: 'Rating', value: '★☆☆☆☆ (1/5)' },
        { title: 'Author', value: 'Invented Person <b>' },
        { title: 'Date', value: '2026-03-02 11:05 UTC' },
      ],
    });
    expect(card.body[2]).toMatchObject({ type: 'TextBlock', text: item.title });
    // A TextRun is not Markdown: the review's [link](…) stays words.
    expect(card.body[3]).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: item.text }] });
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Earshot', url: item.itemUrl },
      { type: 'Action.OpenUrl', title: 'View original', url: item.originalUrl },
    ]);
  },
};
