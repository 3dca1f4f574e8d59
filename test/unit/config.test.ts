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
  test('PUBLIC_URL loses its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://earshot.example.com/' }).publicUrl).toBe('https://earshot.example.com');
  });
});
