import { afterEach, describe, expect, test } from 'vitest';
import { channelSecrets } from '../../../services/alerts/channels/channel-secrets.ts';
import type { AlertMessage } from '../../../services/alerts/channels/contract.ts';
import type { ChannelAdapter, FakeReceiver } from './adapter.ts';
import { channelContext, channelFailure, itemAlert, SENT_AT, testAlert, type TestChannelContext } from './channel-context.ts';

/** The scenarios every alert channel passes against a fake of its receiver (see adapter.ts). */
export function channelSuite(adapter: ChannelAdapter): void {
  const { channel } = adapter;
  const open: Array<FakeReceiver | TestChannelContext> = [];

  afterEach(async () => {
    await Promise.all(open.splice(0).map((entry) => (('stop' in entry) ? entry.stop() : entry.close())));
  });

  async function setUp(options: { timeoutMs?: number } = {}) {
    const receiver = await adapter.start();
    open.push(receiver);
    const entered = adapter.settings(receiver);
    // The fakes listen on loopback or on nock's made-up hosts; the private-address rule has its own test.
    const parsed = channel.parseConfig(entered.config, entered.credentials, { allowPrivateUrls: true });
    const ctx = channelContext({ type: channel.type, allowPrivateUrls: true, timeoutMs: options.timeoutMs, smtpUrl: receiver.smtpUrl });
    open.push(ctx);
    const send = (message: AlertMessage) => channel.send(message, parsed.config, parsed.credentials, ctx);
    const secrets = channelSecrets([channel.configSchema, channel.credentialsSchema], parsed.config, parsed.credentials);
    return { receiver, entered, parsed, ctx, send, secrets };
  }

  describe(`alert channel contract: ${channel.type}`, () => {
    test('an item alert arrives once, in the channel\'s documented form, with a receipt', async () => {
      const { receiver, entered, send } = await setUp();
      const message = itemAlert();
      const receipt = await send(message);
      expect(receipt.detail).toEqual(expect.any(String));
      expect(receiver.accepted).toHaveLength(1);
      adapter.expectWireForm(receiver.accepted[0]!, message, SENT_AT, entered);
    });

    test('a test message (no item) arrives in the same form', async () => {
      const { receiver, entered, send } = await setUp();
      const message = testAlert();
      await send(message);
      expect(receiver.accepted).toHaveLength(1);
      adapter.expectWireForm(receiver.accepted[0]!, message, SENT_AT, entered);
    });

    test('a refusal is a config error, with no secret in its message', async () => {
      const { receiver, send, secrets } = await setUp();
      // Receivers echo what they were sent; the error must not carry the channel's secrets on.
      receiver.failNext({ kind: 'refuse', status: adapter.refusalStatus, body: `invalid_token ${secrets.join(' ')}` });
      const error = await channelFailure(send(itemAlert()));
      expect(error.kind).toBe(adapter.refusalKind?.(adapter.refusalStatus) ?? 'config');
      for (const secret of secrets) expect(error.message).not.toContain(secret);
      expect(receiver.accepted).toHaveLength(0);
    });

    test.runIf(adapter.failures.includes('rate_limit'))('429 with Retry-After is rate_limited with the wait', async () => {
      const { receiver, send } = await setUp();
      receiver.failNext({ kind: 'rate_limit', retryAfterSeconds: 30 });
      const error = await channelFailure(send(itemAlert()));
      expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    });

    test('a receiver that is down is transient; the retry delivers exactly one message', async () => {
      const { receiver, send } = await setUp();
      receiver.failNext({ kind: 'unavailable' });
      const message = itemAlert();
      expect((await channelFailure(send(message))).kind).toBe('transient');
      await send(message);
      expect(receiver.accepted).toHaveLength(1);
      expect(receiver.received).toHaveLength(2);
    });

    test.runIf(adapter.failures.includes('hang'))(`a receiver that takes the message and never answers is ${adapter.hangKind}`, async () => {
      const { receiver, send } = await setUp({ timeoutMs: 200 });
      receiver.failNext({ kind: 'hang' });
      const error = await channelFailure(send(itemAlert()));
      expect(error.kind).toBe(adapter.hangKind);
      expect(receiver.received).toHaveLength(1);
    });

    test.runIf(adapter.urlField !== null)('a URL pointing at a private address is refused unless private URLs are allowed', async () => {
      const field = adapter.urlField!;
      const { entered } = await setUp();
      const config = { ...entered.config, [field]: 'http://10.1.2.3/hook/Tsecretpart' };
      const refused = await channelFailure(Promise.resolve().then(() => channel.parseConfig(config, entered.credentials, { allowPrivateUrls: false })));
      expect(refused).toMatchObject({ kind: 'config', field: `config.${field}` });
      expect(refused.message).toContain(`config.${field}`);
      expect(refused.message).not.toContain('Tsecretpart');
      expect(() => channel.parseConfig(config, entered.credentials, { allowPrivateUrls: true })).not.toThrow();
    });

    test.runIf(adapter.urlField !== null)('a URL allowed when entered is still refused when sending if private URLs are not allowed', async () => {
      const field = adapter.urlField!;
      const { entered } = await setUp();
      const parsed = channel.parseConfig({ ...entered.config, [field]: 'http://127.0.0.1:9/hook' }, entered.credentials, { allowPrivateUrls: true });
      const strict = channelContext({ type: channel.type, allowPrivateUrls: false });
      open.push(strict);
      const error = await channelFailure(channel.send(itemAlert(), parsed.config, parsed.credentials, strict));
      expect(error.kind).toBe('config');
    });

    test('settings it does not know, and missing ones, are refused naming the field', async () => {
      const { entered } = await setUp();
      const unknown = await channelFailure(
        Promise.resolve().then(() => channel.parseConfig({ ...entered.config, colour: 'red' }, entered.credentials, { allowPrivateUrls: true })),
      );
      expect(unknown).toMatchObject({ kind: 'config', field: 'config.colour' });
      const required = Object.entries(channel.configSchema).find(([, spec]) => spec.required)![0];
      const { [required]: _dropped, ...missing } = entered.config;
      const absent = await channelFailure(Promise.resolve().then(() => channel.parseConfig(missing, entered.credentials, { allowPrivateUrls: true })));
      expect(absent).toMatchObject({ kind: 'config', field: `config.${required}` });
    });

    test('declares its identity and schemas, URLs that let anyone post marked secret', () => {
      expect(channel.type).toMatch(/^[a-z]+$/);
      expect(channel.displayName).toEqual(expect.any(String));
      for (const spec of [...Object.values(channel.configSchema), ...Object.values(channel.credentialsSchema)]) {
        expect(spec.description.length).toBeGreaterThan(10);
      }
    });
  });
}
