import { expect } from 'vitest';
import { ChannelError, type AlertMessage, type ChannelContext } from '../../../services/alerts/channels/contract.ts';
import { createMailTransport, type MailTransport } from '../../../services/alerts/mail-transport.ts';
import { createConnectorHttp, type ConnectorHttp } from '../../../services/sources/http/connector-http.ts';
import { silentLog } from '../../connectors/connector-context.ts';

export const SENT_AT = new Date('2026-03-02T12:30:00Z');

export interface TestChannelContext extends ChannelContext {
  http: ConnectorHttp;
  close(): Promise<void>;
}

/** What a delivery worker hands a channel: the guarded client named after the channel, a fixed clock. */
export function channelContext(options: { type: string; allowPrivateUrls?: boolean; timeoutMs?: number; smtpUrl?: string; outboxDir?: string }): TestChannelContext {
  const signal = new AbortController().signal;
  const http = createConnectorHttp({
    platform: options.type,
    allowPrivateUrls: options.allowPrivateUrls ?? false,
    signal,
    log: silentLog,
    timeoutMs: options.timeoutMs ?? 2_000,
    now: () => SENT_AT,
  });
  const transport: MailTransport = createMailTransport({ smtpUrl: options.smtpUrl, outboxDir: options.outboxDir ?? '/nonexistent-outbox' });
  return {
    http,
    mail: { transport, from: 'Earshot <alerts@earshot.test>' },
    log: silentLog,
    now: () => SENT_AT,
    signal,
    async close() {
      transport.close();
      await http.close();
    },
  };
}

/** A 1-star review with the characters that break naive encoders: stars, accents, markup, a link. */
export function itemAlert(deliveryId = 'd0000000-0000-4000-8000-000000000001'): AlertMessage {
  const item = {
    itemId: '7f9c2d1e-0000-4000-8000-0000000000aa',
    kind: 'review' as const,
    businessName: 'Café Müller & Söhne',
    sourceType: 'google_places',
    sourceName: 'Google',
    rating: 1,
    author: 'Invented Person <b>',
    title: 'Cold coffee',
    text: 'Waited 40 minutes & the coffee was cold. <!channel> *never again* [click](https://example.invalid/x)',
    publishedAt: new Date('2026-03-02T11:05:00Z'),
    originalUrl: 'https://maps.example.test/review/abc',
    itemUrl: 'https://earshot.example.test/items/7f9c2d1e-0000-4000-8000-0000000000aa',
  };
  return {
    deliveryId,
    kind: 'negative_item',
    title: `New 1-star Google review for ${item.businessName}: "Waited 40 minutes…" ★☆☆☆☆`,
    text: `A new negative 1-star Google review needs attention.\n\nBusiness: ${item.businessName}\n\n${item.text}\n\nOpen it in Earshot: ${item.itemUrl}`,
    item,
  };
}

export function testAlert(deliveryId = 'd0000000-0000-4000-8000-000000000002'): AlertMessage {
  return { deliveryId, kind: 'test', title: 'Test message from Earshot', text: 'This channel works: Earshot can send alerts here.' };
}

/** The ChannelError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function channelFailure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}
