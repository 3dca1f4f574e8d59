import nock from 'nock';
import { expect, test } from 'vitest';
import { ChannelError } from '../../../services/alerts/channels/contract.ts';
import { email } from '../../../services/alerts/channels/email/index.ts';
import { smtpError } from '../../../services/alerts/channels/email/smtp-errors.ts';
import { slack } from '../../../services/alerts/channels/slack/index.ts';
import { webhook } from '../../../services/alerts/channels/webhook/index.ts';
import { offlineWithNock } from '../../connectors/offline-with-nock.ts';
import { startTarpit } from '../../support/smtp.ts';
import { channelContext, channelFailure, itemAlert, type TestChannelContext } from './channel-context.ts';

const contexts: TestChannelContext[] = [];
offlineWithNock(async () => Promise.all(contexts.splice(0).map((ctx) => ctx.close())));

function context(type: string, options: { smtpUrl?: string } = {}): TestChannelContext {
  const ctx = channelContext({ type, allowPrivateUrls: true, ...options });
  contexts.push(ctx);
  return ctx;
}

const smtp = (fields: Record<string, unknown>) => Object.assign(new Error('failed'), fields);

test.each([
  ['a 5xx answer (mailbox unavailable) needs the owner', smtp({ code: 'EENVELOPE', responseCode: 550 }), 'config'],
  ['a refused login needs the owner', smtp({ code: 'EAUTH', responseCode: 535 }), 'config'],
  ['a 4xx answer (try later) is transient', smtp({ code: 'EMESSAGE', responseCode: 451 }), 'transient'],
  ['a server not reached is transient', smtp({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }), 'transient'],
  ['no greeting in time is transient: nothing was sent', smtp({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' }), 'transient'],
  ['silence after the message went out is an unknown outcome', smtp({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' }), 'unknown_outcome'],
  ['a dropped connection mid-message is an unknown outcome', smtp({ code: 'ECONNECTION', command: 'CONN' }), 'unknown_outcome'],
])('email: %s', (_name, error, kind) => {
  expect(smtpError(error).kind).toBe(kind);
});

test('email: an SMTP server that never greets is transient, through the real transport', { timeout: 20_000 }, async () => {
  const tarpit = await startTarpit();
  try {
    const parsed = email.parseConfig({ to: ['owner@cafe.example.test'] }, {}, { allowPrivateUrls: false });
    const error = await channelFailure(email.send(itemAlert(), parsed.config, parsed.credentials, context('email', { smtpUrl: tarpit.url })));
    expect(error.kind).toBe('transient');
  } finally {
    await tarpit.stop();
  }
});

test('a receiver that cannot be reached is transient: nothing was sent', async () => {
  // nock refuses the unmocked host before any connection is made.
  const parsed = slack.parseConfig({ webhookUrl: 'https://hooks.slack.test/services/T1/B1/unmocked' }, {}, { allowPrivateUrls: false });
  const error = await channelFailure(slack.send(itemAlert(), parsed.config, parsed.credentials, context('slack')));
  expect(error.kind).toBe('transient');
  expect(error.message).not.toContain('unmocked');
});

test('slack check: a live webhook refuses an empty message with no_text, and that proves it', async () => {
  const url = 'https://hooks.slack.test/services/T1/B1/livehook';
  const parsed = slack.parseConfig({ webhookUrl: url }, {}, { allowPrivateUrls: false });
  nock('https://hooks.slack.test').post('/services/T1/B1/livehook', {}).reply(400, 'no_text');
  await slack.check(parsed.config, parsed.credentials, context('slack'));
  nock('https://hooks.slack.test').post('/services/T1/B1/livehook', {}).reply(404, 'no_service');
  const gone = await channelFailure(slack.check(parsed.config, parsed.credentials, context('slack')));
  expect(gone.kind).toBe('config');
  expect(gone.message).not.toContain('livehook');
  expect(nock.isDone()).toBe(true);
});

test('webhook: a secret shorter than 24 characters is refused, and the message does not quote it', () => {
  const error = (() => {
    try {
      webhook.parseConfig({ url: 'https://receiver.example.test/' }, { secret: 'short-secret' }, { allowPrivateUrls: false });
    } catch (caught) {
      return caught as ChannelError;
    }
    throw new Error('accepted a short secret');
  })();
  expect(error).toMatchObject({ kind: 'config', field: 'credentials.secret' });
  expect(error.message).not.toContain('short-secret');
});

test('email: addresses follow the alert-address rule, naming the entry at fault', () => {
  expect(email.parseConfig({ to: ['A@x.test', 'a@x.test', 'b@x.test'] }, {}, { allowPrivateUrls: false }).config.to).toEqual(['A@x.test', 'b@x.test']);
  expect(() => email.parseConfig({ to: ['a@x.test', 'not an address'] }, {}, { allowPrivateUrls: false })).toThrow(
    expect.objectContaining({ kind: 'config', field: 'config.to[1]' }),
  );
  expect(() => email.parseConfig({ to: [] }, {}, { allowPrivateUrls: false })).toThrow(expect.objectContaining({ field: 'config.to' }));
});
