import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { ConnectorError } from '../../connectors/contract.ts';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import { trustpilot } from '../../connectors/trustpilot/index.ts';
import { yelp } from '../../connectors/yelp/index.ts';
import { sandboxCredentials, startPlatformSandbox, type PlatformSandbox } from '../../services/demo/platform-sandbox.ts';
import { allPages, testContext, type TestContext } from './connector-context.ts';

// The demo's sandbox, reached over a real loopback socket (no nock here).

let sandbox: PlatformSandbox;
let ctx: TestContext;

beforeAll(async () => {
  sandbox = await startPlatformSandbox();
});
afterAll(() => sandbox.stop());
afterEach(() => ctx?.http.close());

function context(platform: string): TestContext {
  ctx = testContext({ platform, allowPrivateUrls: true, now: new Date() });
  return ctx;
}

function placesSettings(apiKey: string = sandboxCredentials.googlePlaces.apiKey) {
  return googlePlaces.parseConfig({ placeId: sandbox.placeId, baseUrl: sandbox.url }, { apiKey });
}

function blueskySettings(appPassword: string = sandboxCredentials.bluesky.appPassword) {
  return bluesky.parseConfig({ terms: ['Demo Bistro'], baseUrl: sandbox.url }, { identifier: sandboxCredentials.bluesky.identifier, appPassword });
}

async function reviews() {
  const { config, credentials } = placesSettings();
  const pages = await allPages(googlePlaces.fetch(config, credentials, null, context('google_places')));
  return pages.flatMap((page) => page.items);
}

async function mentions(cursor: unknown = null) {
  const { config, credentials } = blueskySettings();
  return allPages(bluesky.fetch(config, credentials, cursor, context('bluesky')));
}

describe('Google Places', () => {
  test('serves the seeded reviews, including a 1★ and a 2★ complaint', async () => {
    const items = await reviews();
    expect(items).toHaveLength(5);
    expect(items.map((item) => item.rating).sort()).toEqual([1, 2, 4, 5, 5]);
    for (const item of items) {
      expect(item.externalId).toMatch(new RegExp(`^places/${sandbox.placeId}/reviews/`));
      expect(item).toMatchObject({ kind: 'review', language: 'en' });
      expect(item.body.length).toBeGreaterThan(10);
      expect(item.url).toMatch(new RegExp(`^${sandbox.url}/maps/reviews/`));
    }
  });

  test('a review added later is there on the next fetch, and its link opens', async () => {
    sandbox.addReview({ rating: 1, author: 'Test Diner', text: 'Cold plates and a forty-minute wait.' });
    const added = (await reviews()).find((item) => item.author === 'Test Diner');
    expect(added).toMatchObject({ rating: 1, body: 'Cold plates and a forty-minute wait.' });
    const page = await fetch(added?.url ?? '');
    expect(await page.text()).toContain('Cold plates and a forty-minute wait.');
  });

  test('the rejected key gets Google’s 403, a config error', async () => {
    const { config, credentials } = placesSettings('bad-key');
    const error = await googlePlaces.check(config, credentials, context('google_places')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'config', status: 403, message: 'google_places place details failed with HTTP 403: PERMISSION_DENIED: API key not valid. Please pass a valid API key.' });
  });

  test('like Google, it refuses a request without a field mask', async () => {
    const response = await fetch(`${sandbox.url}/v1/places/${sandbox.placeId}`, { headers: { 'X-Goog-Api-Key': 'k' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});

describe('Bluesky', () => {
  test('serves the seeded mentions; the loose search hit is filtered out', async () => {
    const pages = await mentions();
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(3);
    expect(items.every((item) => /Demo Bistro/.test(item.body))).toBe(true);
    expect(items.some((item) => /Avoid Demo Bistro/.test(item.body))).toBe(true);
    for (const item of items) {
      expect(item.externalId).toMatch(/^at:\/\/did:plc:[a-z2-7]+\/app\.bsky\.feed\.post\/[a-z2-7]{13}$/);
      expect(item.url).toMatch(/^https:\/\/bsky\.app\/profile\/[a-z0-9]+\.bsky\.social\/post\/[a-z2-7]{13}$/);
    }
    expect(pages.at(-1)?.cursor).toMatchObject({ since: expect.any(String) });
  });

  test('a post added later is found from the saved cursor', async () => {
    const first = await mentions();
    sandbox.addPost({ author: 'Nia Example', text: 'Demo Bistro forgot our booking. Not impressed.' });
    const next = await mentions(first.at(-1)?.cursor);
    const bodies = next.flatMap((page) => page.items).map((item) => item.body);
    expect(bodies).toContain('Demo Bistro forgot our booking. Not impressed.');
    // Only the overlap before the watermark is read again, not the whole day.
    expect(bodies).not.toContain('Has anyone tried the new tasting menu at Demo Bistro? Thinking of going on Friday.');
  });

  test('a wrong app password is a config error', async () => {
    const { config, credentials } = blueskySettings('wrong-wrong-wrong');
    const error = await bluesky.check(config, credentials, context('bluesky')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'config', status: 401 });
    expect((error as Error).message).not.toContain('wrong-wrong-wrong');
  });

  test('pages with a cursor when there are more hits than the limit', async () => {
    const session = await fetch(`${sandbox.url}/xrpc/com.atproto.server.createSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: sandboxCredentials.bluesky.identifier, password: sandboxCredentials.bluesky.appPassword }),
    });
    const { accessJwt } = (await session.json()) as { accessJwt: string };
    const search = (cursor?: string) =>
      fetch(`${sandbox.url}/xrpc/app.bsky.feed.searchPosts?q=demo&sort=latest&limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${accessJwt}` },
      }).then((response) => response.json() as Promise<{ cursor?: string; posts: unknown[] }>);
    const first = await search();
    expect(first.posts).toHaveLength(2);
    expect(first.cursor).toBe('2');
    const second = await search(first.cursor);
    expect(second.posts.length).toBeGreaterThan(0);
  });
});

describe('Yelp', () => {
  const settings = (apiKey: string = sandboxCredentials.yelp.apiKey) => yelp.parseConfig({ businessId: sandbox.yelpBusinessId, baseUrl: sandbox.url }, { apiKey });
  const poll = async (cursor: unknown = null) => {
    const { config, credentials } = settings();
    return allPages(yelp.fetch(config, credentials, cursor, context('yelp')));
  };

  test('shows the three newest excerpts, dated in UTC from Pacific time', async () => {
    const pages = await poll();
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(3);
    expect(items.map((item) => item.rating)).toEqual([1, 2, 5]);
    for (const item of items) {
      expect(item.body.length).toBeLessThanOrEqual(163);
      // Within a second of the seeded time: Pacific wall-clock time read back as UTC.
      expect(Math.abs(Date.now() - (item.publishedAt?.getTime() ?? 0))).toBeLessThan(60 * 3_600_000);
    }
    expect(items[0]?.publishedAt?.getTime()).toBeGreaterThan(Date.now() - 6 * 3_600_000 - 5_000);
    expect(items[0]?.publishedAt?.getTime()).toBeLessThan(Date.now() - 6 * 3_600_000 + 5_000);
  });

  test('a review added later is the only one the next poll reports', async () => {
    const first = await poll();
    sandbox.addYelpReview({ rating: 1, author: 'Late D.', text: 'Cold pasta after fifty minutes.' });
    const next = await poll(JSON.parse(JSON.stringify(first.at(-1)?.cursor)));
    expect(next.flatMap((page) => page.items).map((item) => [item.rating, item.body])).toEqual([[1, 'Cold pasta after fifty minutes.']]);
  });

  test('a refused key is a config error', async () => {
    const { config, credentials } = settings('bad-key');
    const error = await yelp.check(config, credentials, context('yelp')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'config', status: 401 });
  });
});

describe('Trustpilot', () => {
  const settings = (apiKey: string = sandboxCredentials.trustpilot.apiKey) =>
    trustpilot.parseConfig({ businessUnitId: sandbox.trustpilotBusinessUnitId, baseUrl: sandbox.url }, { apiKey });
  const poll = async (cursor: unknown = null) => {
    const { config, credentials } = settings();
    return allPages(trustpilot.fetch(config, credentials, cursor, context('trustpilot')));
  };

  test('serves the seeded reviews with the company reply on the 2★ one', async () => {
    const items = (await poll()).flatMap((page) => page.items);
    expect(items.map((item) => item.rating).sort()).toEqual([1, 2, 4, 5, 5]);
    const answered = items.find((item) => item.rating === 2);
    expect(answered?.ownerReply?.text).toMatch(/second cook/);
    expect(items[0]?.url).toMatch(/^https:\/\/www\.trustpilot\.com\/reviews\/66de/);
  });

  test('pages with links, and a review added later is the only one the next poll reports', async () => {
    const page = await fetch(`${sandbox.url}/v1/business-units/${sandbox.trustpilotBusinessUnitId}/reviews?perPage=2&page=1`, { headers: { apikey: 'demo' } });
    const body = (await page.json()) as { links: Array<{ rel: string }>; reviews: unknown[] };
    expect(body.reviews).toHaveLength(2);
    expect(body.links.map((link) => link.rel)).toEqual(['next-page']);

    const first = await poll();
    sandbox.addTrustpilotReview({ rating: 2, author: 'Test Diner', text: 'Slow service tonight.' });
    const next = await poll(JSON.parse(JSON.stringify(first.at(-1)?.cursor)));
    expect(next.flatMap((page) => page.items).map((item) => [item.rating, item.body])).toEqual([[2, 'Slow service tonight.']]);
  });

  test('a refused key is a config error', async () => {
    const { config, credentials } = settings('bad-key');
    const error = await trustpilot.check(config, credentials, context('trustpilot')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'config', status: 401 });
  });
});
