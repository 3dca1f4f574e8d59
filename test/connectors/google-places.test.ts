import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { ConnectorError } from '../../connectors/contract.ts';
import { googlePlaces } from '../../connectors/google-places/index.ts';
import placeDetails from '../fixtures/google-places/place-details.json' with { type: 'json' };
import permissionDenied from '../fixtures/google-places/error-permission-denied.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://places.googleapis.com';
const PLACE = 'ChIJSynthPlace00000000001';
const KEY = 'AIzaSyntheticKey-0123456789abcdef';
const settings = googlePlaces.parseConfig({ placeId: PLACE }, { apiKey: KEY });

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function fetchOnce(cursor: unknown = null, parsed = settings) {
  ctx = testContext({ platform: 'google_places' });
  return allPages(googlePlaces.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

describe('fetch', () => {
  test('asks for the reviews with the key and field mask, and normalises each review', async () => {
    const scope = nock(API)
      .get(`/v1/places/${PLACE}`)
      .matchHeader('x-goog-api-key', KEY)
      .matchHeader('x-goog-fieldmask', 'id,displayName,rating,userRatingCount,googleMapsUri,reviews')
      .reply(200, placeDetails);

    const pages = await fetchOnce();

    expect(scope.isDone()).toBe(true);
    expect(pages).toHaveLength(1);
    const [translated, plain, ratingOnly] = pages[0]?.items ?? [];
    expect(translated).toEqual({
      externalId: `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA1`,
      kind: 'review',
      url: 'https://www.google.com/maps/reviews/data=!4m8!14m7!1m6!2m5!1sSynthReview1',
      author: 'Odile Fauxnom',
      rating: 1,
      title: null,
      // What the customer wrote, not Google's translation.
      body: "Nous avons attendu une heure pour deux cafés et personne ne s'est excusé.",
      language: 'fr',
      publishedAt: new Date('2026-03-02T18:04:11.123Z'),
      updatedAt: null,
      ownerReply: null,
      raw: placeDetails.reviews[0],
    });
    expect(plain).toMatchObject({ rating: 5, body: 'Flaky croissants, friendly barista, sunny terrace.', language: 'en' });
    // No text and no own link: an empty body and the place's link.
    expect(ratingOnly).toMatchObject({ rating: 4, body: '', language: null, url: 'https://maps.google.com/?cid=1111111111111111111' });
  });

  test('passes languageCode and an overridden baseUrl', async () => {
    const parsed = googlePlaces.parseConfig({ placeId: PLACE, baseUrl: 'https://places.example.net/', languageCode: 'de' }, { apiKey: KEY });
    const scope = nock('https://places.example.net').get(`/v1/places/${PLACE}`).query({ languageCode: 'de' }).reply(200, { id: PLACE });
    const pages = await fetchOnce(null, parsed);
    expect(scope.isDone()).toBe(true);
    expect(pages[0]?.items).toEqual([]);
  });

  test('a second poll reports only reviews that are new or changed since the first', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(200, placeDetails);
    const [first] = await fetchOnce();
    expect(first?.items).toHaveLength(3);
    expect(Object.keys((first?.cursor as { seen: object }).seen).sort()).toEqual([
      `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA1`,
      `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA2`,
      `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA3`,
    ]);

    nock(API).get(`/v1/places/${PLACE}`).reply(200, placeDetails);
    const [unchanged] = await fetchOnce(JSON.parse(JSON.stringify(first?.cursor)));
    expect(unchanged?.items).toEqual([]);

    // The customer edits review 2 (new words, fewer stars) and a new review pushes review 3 out.
    const later = structuredClone(placeDetails) as { reviews: Array<Record<string, any>> };
    later.reviews[1]!.rating = 2;
    later.reviews[1]!.originalText.text = 'Edited: the croissants were stale this time.';
    later.reviews[2] = { ...later.reviews[2], name: `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA4`, rating: 3 };
    nock(API).get(`/v1/places/${PLACE}`).reply(200, later);
    const [next] = await fetchOnce(unchanged?.cursor);
    expect(next?.items.map((item) => [item.externalId.split('/').at(-1), item.rating, item.updatedAt])).toEqual([
      ['ChZSynthReviewAAAAAAAAAAAAAAA2', 2, null],
      ['ChZSynthReviewAAAAAAAAAAAAAAA4', 3, null],
    ]);
    expect(next?.items[0]?.body).toBe('Edited: the croissants were stale this time.');
    // Review 3 is still remembered: if Google shows it again, it is not reported again.
    expect(Object.keys((next?.cursor as { seen: object }).seen)).toHaveLength(4);
  });

  test('a cursor in an older format reports the shown reviews once more', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(200, placeDetails);
    const older = { seen: [{ name: `places/${PLACE}/reviews/ChZSynthReviewAAAAAAAAAAAAAAA1`, publishTime: '2026-03-02T18:04:11.123456789Z' }] };
    const [page] = await fetchOnce(older);
    expect(page?.items).toHaveLength(3);
  });

  test('a place without reviews is one empty page', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(200, { id: PLACE, displayName: { text: 'New place' } });
    const pages = await fetchOnce();
    expect(pages.map((page) => page.items)).toEqual([[]]);
  });
});

describe('errors', () => {
  test.each([401, 403, 404])('HTTP %i is a config error that quotes Google and never the key', async (status) => {
    nock(API).get(`/v1/places/${PLACE}`).reply(status, permissionDenied);
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('config');
    expect(error.status).toBe(status);
    expect(error.message).toBe(`google_places place details failed with HTTP ${status}: PERMISSION_DENIED: API key not valid. Please pass a valid API key.`);
    expect(error.message).not.toContain(KEY);
  });

  test('a key Google echoes back is scrubbed from the message', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: `Key ${KEY} is malformed` } });
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('config');
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('Key [redacted] is malformed');
  });

  test('429 RESOURCE_EXHAUSTED is rate_limited with the Retry-After wait', async () => {
    nock(API)
      .get(`/v1/places/${PLACE}`)
      .reply(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } }, { 'Retry-After': '120' });
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000, status: 429 });
  });

  test('429 without rate headers (as Google sends it) waits the default minute', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
    expect((await connectorFailure(fetchOnce())).retryAfterMs).toBe(60_000);
  });

  test('500 is transient', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(500, { error: { code: 500, status: 'INTERNAL', message: 'Internal error' } });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'transient', status: 500 });
  });

  test('a body that is not JSON is bad_payload and kept', async () => {
    nock(API).get(`/v1/places/${PLACE}`).reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'bad_payload', payload: '<html>maintenance</html>' });
  });

  test.each([
    ['not an object', [1, 2, 3], 'the response is not a JSON object'],
    ['reviews not a list', { id: PLACE, reviews: { name: 'x' } }, '"reviews" is not a list'],
    ['a review without name', { id: PLACE, reviews: [{ rating: 2, text: { text: 'hm' } }] }, 'review 0 has no "name"'],
  ])('%s is bad_payload with the body kept', async (_case, body, message) => {
    nock(API).get(`/v1/places/${PLACE}`).reply(200, body);
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain(message);
    expect(JSON.parse(error.payload ?? 'null')).toEqual(body);
  });
});

describe('check', () => {
  test('makes the same call and passes when Google answers', async () => {
    const scope = nock(API).get(`/v1/places/${PLACE}`).matchHeader('x-goog-api-key', KEY).reply(200, placeDetails);
    ctx = testContext({ platform: 'google_places' });
    await googlePlaces.check(settings.config, settings.credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});

describe('parseConfig', () => {
  test('fills in the default baseUrl', () => {
    expect(settings).toEqual({
      config: { placeId: PLACE, baseUrl: 'https://places.googleapis.com', languageCode: undefined },
      credentials: { apiKey: KEY },
    });
  });

  test.each([
    [{}, { apiKey: KEY }, 'config.placeId is required'],
    [{ placeId: 42 }, { apiKey: KEY }, 'config.placeId must be a string'],
    [{ placeId: PLACE }, {}, 'credentials.apiKey is required'],
    [{ placeId: PLACE, baseUrl: 'ftp://example.com' }, { apiKey: KEY }, 'config.baseUrl must be an http or https URL'],
    [{ placeId: PLACE, baseUrl: 'not a url' }, { apiKey: KEY }, 'config.baseUrl is not a valid URL'],
    [{ placeId: PLACE, placeID: 'typo' }, { apiKey: KEY }, 'config.placeID is not a known setting'],
  ])('%j / %j → %s', (config, credentials, message) => {
    let error: unknown;
    try {
      googlePlaces.parseConfig(config, credentials);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('config');
    expect((error as ConnectorError).message).toMatch(new RegExp(`^${message.replace(/[.]/g, '\\.')}`));
  });
});
