import { expect } from 'vitest';
import { email } from '../../../../services/alerts/channels/email/index.ts';
import { startRecordingSmtp } from '../../../support/smtp.ts';
import type { ChannelAdapter, FakeFailure, FakeReceiver, Received } from '../adapter.ts';

const TO = ['owner@cafe.example.test', 'manager@cafe.example.test'];

/** A real SMTP server on loopback that answers each message as the suite asks. */
async function startSmtpReceiver(): Promise<FakeReceiver> {
  const received: Received[] = [];
  const accepted: Received[] = [];
  const failures: FakeFailure[] = [];
  const smtp = await startRecordingSmtp(undefined, (mail) => {
    const headers: Record<string, string> = { 'message-id': mail.messageId ?? '', subject: mail.subject ?? '', to: JSON.stringify(mail.to), from: mail.from?.text ?? '' };
    for (const name of ['x-earshot-delivery', 'x-earshot-item']) {
      const value = mail.headers.get(name);
      if (typeof value === 'string') headers[name] = value;
    }
    const request = { headers, body: mail.text ?? '' };
    received.push(request);
    const failure = failures.shift();
    if (failure === undefined) {
      accepted.push(request);
      return undefined;
    }
    const code = failure.kind === 'refuse' ? failure.status : 451;
    return Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code });
  });
  return {
    received,
    accepted,
    smtpUrl: smtp.url,
    failNext: (failure) => void failures.push(failure),
    stop: smtp.stop,
  };
}

export const adapter: ChannelAdapter = {
  channel: email,
  settings: () => ({ config: { to: TO }, credentials: {} }),
  urlField: null,
  // SMTP has no 429; a server that stops answering mid-DATA is judged by smtp-errors.test.ts (the transport waits 30 s).
  failures: ['refuse', 'unavailable'],
  refusalStatus: 550,
  hangKind: 'unknown_outcome',
  start: startSmtpReceiver,
  expectWireForm(received, message) {
    expect(received.headers['message-id']).toBe(`<${message.deliveryId}@earshot.alerts>`);
    expect(received.headers['x-earshot-delivery']).toBe(message.deliveryId);
    expect(received.headers.from).toContain('alerts@earshot.test');
    expect(JSON.parse(received.headers.to!).value.map((entry: { address: string }) => entry.address)).toEqual(TO);
    if (message.item === undefined) {
      expect(received.headers.subject).toBe(message.title);
      expect(received.body.trim()).toBe(message.text);
      return;
    }
    // Today's alert email, unchanged: the same renderer, every field an owner acts on.
    const { item } = message;
    expect(received.headers['x-earshot-item']).toBe(item.itemId);
    expect(received.headers.subject).toBe('New 1-star Google review for Café Müller & Söhne: "Waited 40 minutes & the coffee was cold. <!channel> *never …"');
    for (const line of [
      'Business: Café Müller & Söhne',
      'Source: Google',
      'Rating: ★☆☆☆☆ (1/5)',
      'Author: Invented Person <b>',
      'Date: 2026-03-02 11:05 UTC',
      `Original: ${item.originalUrl}`,
      item.text,
      `Mark it responded or resolved in Earshot: ${item.itemUrl}`,
    ]) {
      expect(received.body).toContain(line);
    }
  },
};
