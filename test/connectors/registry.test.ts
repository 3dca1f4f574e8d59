import { expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import { connectors, findConnector } from '../../connectors/registry.ts';

test('every connector is registered under its own id', () => {
  for (const [id, connector] of Object.entries(connectors)) expect(connector.id).toBe(id);
  expect(findConnector('google_places')).toBe(googlePlaces);
  expect(findConnector('bluesky')).toBe(bluesky);
});

test('unknown types, including Object.prototype names, are not found', () => {
  expect(findConnector('facebook_ratings')).toBeUndefined();
  expect(findConnector('toString')).toBeUndefined();
  expect(findConnector('__proto__')).toBeUndefined();
});

// Names that hold a secret wherever they appear; a connector that forgets to mark one leaks it into GET responses.
const SECRET_NAMES = /key|secret|password|token|serviceAccount/i;

test('credentials that are keys, passwords or tokens are marked secret, and no config field is', () => {
  for (const connector of Object.values(connectors)) {
    for (const [name, spec] of Object.entries(connector.credentialsSchema)) {
      if (SECRET_NAMES.test(name)) expect(spec.secret, `${connector.id} credentials.${name}`).toBe(true);
    }
    // Config is returned by the API; anything secret belongs in credentials.
    for (const [name, spec] of Object.entries(connector.configSchema)) expect(spec.secret, `${connector.id} config.${name}`).toBe(false);
  }
});

test('every polled connector lets its API root be overridden (sandboxes, recordings), as a URL field', () => {
  for (const connector of Object.values(connectors)) {
    // Push sources are not polled; rss is given its feed URL, and mastodon's instanceUrl is its API root.
    if (connector.capabilities.push || connector.id === 'rss' || connector.id === 'mastodon') continue;
    expect(connector.configSchema.baseUrl, connector.id).toMatchObject({ type: 'url', required: false, secret: false });
  }
});
