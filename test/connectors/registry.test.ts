import { expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import { connectors, findConnector } from '../../connectors/registry.ts';

test('every connector is registered under its own id', () => {
  expect(Object.keys(connectors).sort()).toEqual(['bluesky', 'google_places']);
  for (const [id, connector] of Object.entries(connectors)) expect(connector.id).toBe(id);
  expect(findConnector('google_places')).toBe(googlePlaces);
  expect(findConnector('bluesky')).toBe(bluesky);
});

test('unknown types, including Object.prototype names, are not found', () => {
  expect(findConnector('yelp')).toBeUndefined();
  expect(findConnector('toString')).toBeUndefined();
  expect(findConnector('__proto__')).toBeUndefined();
});

test('credentials that are keys or passwords are marked secret', () => {
  expect(googlePlaces.credentialsSchema.apiKey?.secret).toBe(true);
  expect(bluesky.credentialsSchema.appPassword?.secret).toBe(true);
  for (const connector of Object.values(connectors)) {
    expect(connector.configSchema.baseUrl).toMatchObject({ type: 'url', required: false, secret: false });
  }
});
