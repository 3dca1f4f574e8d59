import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.ts';

describe('loadConfig', () => {
  test('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/earshot');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      redisUrl: undefined,
      smtpUrl: undefined,
      dataDir: '/srv/earshot/data',
      publicUrl: 'http://localhost:3000',
      allowPrivateUrls: false,
      logLevel: 'info',
      queuePrefix: 'earshot',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
  test('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT', 'expected a whole number, got "eighty"'));
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected a postgres: or postgresql: URL/);
    expect(() => loadConfig({ EARSHOT_SECRET: 'short' })).toThrow(/EARSHOT_SECRET: must be at least 32 characters/);
    expect(() => loadConfig({ EARSHOT_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/EARSHOT_ALLOW_PRIVATE_URLS/);
    expect(() => loadConfig({ ALERT_FROM: 'not an address' })).toThrow(/ALERT_FROM/);
  });
  test('BLUESKY_JETSTREAM_URL: a public instance by default, any ws(s) base URL, or off', () => {
    expect(loadConfig({}).blueskyJetstreamUrl).toBe('wss://jetstream2.us-east.bsky.network');
    expect(loadConfig({ BLUESKY_JETSTREAM_URL: 'ws://127.0.0.1:6008/' }).blueskyJetstreamUrl).toBe('ws://127.0.0.1:6008');
    expect(loadConfig({ BLUESKY_JETSTREAM_URL: 'off' }).blueskyJetstreamUrl).toBeNull();
    expect(() => loadConfig({ BLUESKY_JETSTREAM_URL: 'https://jetstream.example' })).toThrow(/BLUESKY_JETSTREAM_URL: expected a ws: or wss: URL/);
    expect(() => loadConfig({ BLUESKY_JETSTREAM_URL: 'wss://jetstream.example/subscribe' })).toThrow(/BLUESKY_JETSTREAM_URL: .*leave out \/subscribe/);
    expect(() => loadConfig({ BLUESKY_JETSTREAM_URL: 'wss://jetstream.example/?cursor=1' })).toThrow(/BLUESKY_JETSTREAM_URL: must not have a query/);
  });
  test('STREAM_SAFETY_NET_POLL_MINUTES: an hour by default, whole minutes up to a week', () => {
    expect(loadConfig({}).streamSafetyNetPollMinutes).toBe(60);
    expect(loadConfig({ STREAM_SAFETY_NET_POLL_MINUTES: '240' }).streamSafetyNetPollMinutes).toBe(240);
    expect(() => loadConfig({ STREAM_SAFETY_NET_POLL_MINUTES: '0' })).toThrow(/STREAM_SAFETY_NET_POLL_MINUTES: expected 1\.\.10080/);
    expect(() => loadConfig({ STREAM_SAFETY_NET_POLL_MINUTES: 'hourly' })).toThrow(/STREAM_SAFETY_NET_POLL_MINUTES: expected a whole number/);
  });
  test('PUBLIC_URL loses its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://earshot.example.com/' }).publicUrl).toBe('https://earshot.example.com');
  });
});
