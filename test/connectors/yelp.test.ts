import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { pacificTimeToUtc } from '../../connectors/yelp/pacific-time.ts';
import { yelp } from '../../connectors/yelp/index.ts';
import businessReviews from '../fixtures/yelp/business-reviews.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://api.yelp.com';
const BUSINESS = 'tidewater-noodle-bar-portland';
const KEY = 'synthetic-yelp-key-abcdefghijklmnopqrstuvwxyz';
const PATH = `/v3/businesses/${BUSINESS}/reviews`;
const settings = yelp.parseConfig({ businessId: BUSINESS }, { apiKey: KEY });

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function fetchOnce(cursor: unknown = null, parsed = settings, now = new Date('2026-07-16T12:00:00Z')) {
  ctx = testContext({ platform: 'yelp', now });
  return allPages(yelp.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

describe('Pacific times', () => {
  test.each([
    // Daylight time (UTC-7) in summer, standard time (UTC-8) in winter.
    ['2026-07-14 21:05:33', '2026-07-15T04:05:33.000Z'],
    ['2026-01-20 08:15:00', '2026-01-20T16:15:00.000Z'],
    // The hour repeated when clocks go back (2 Nov 2025): the later, standard-time, reading (the zone module's one rule).
    ['2025-11-02 01:30:00', '2025-11-02T09:30:00.000Z'],
    ['2025-11-02 02:30:00', '2025-11-02T10:30:00.000Z'],
    // The hour skipped when clocks go forward (8 Mar 2026): read as standard time.
    ['2026-03-08 02:30:00', '2026-03-08T10:30:00.000Z'],
    ['2026-03-08 03:00:00', '2026-03-08T10:00:00.000Z'],
    ['2026-12-31 23:59:59', '2027-01-01T07:59:59.000Z'],
  ])('%s Pacific is %s', (local, utc) => {
    expect(pacificTimeToUtc(local)?.toISOString()).toBe(utc);
  });

  test.each([[''], ['2026-02-30 10:00:00'], ['2026-07-14T21:05:33Z'], ['yesterday'], [1_700_000_000]])('%j is not a time', (value) => {
    expect(pacificTimeToUtc(value)).toBeNull();
  });
});

describe('fetch', () => {
  test('asks for the newest reviews with the key, and normalises the excerpts', async () => {
    const scope = nock(API)
      .get(PATH)
      .query({ limit: '50', offset: '0', sort_by: 'newest' })
      .matchHeader('authorization', `Bearer ${KEY}`)
      .reply(200, businessReviews);
    nock(API).get(PATH).query(true).reply(200, { reviews: [], total: 412 });
    const pages = await fetchOnce();
    expect(scope.isDone()).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({
      externalId: 'Zq3synthReviewYelp0001a',
      kind: 'review',
      url: businessReviews.reviews[0]!.url,
      author: 'Marguerite V.',
      rating: 1,
      title: null,
      body: businessReviews.reviews[0]!.text,
      language: null,
      publishedAt: new Date('2026-07-15T04:05:33Z'),
      updatedAt: null,
      ownerReply: null,
      raw: businessReviews.reviews[0],
    });
    // The third is in the hour repeated when clocks go back: the later (standard-time) instant, the zone module's one rule.
    expect(items.map((item) => item.publishedAt?.toISOString())).toEqual(['2026-07-15T04:05:33.000Z', '2026-01-20T16:15:00.000Z', '2025-11-02T09:30:00.000Z']);
  });

  test('three excerpts of 412 reviews: a further page is asked for once on a first poll, and an empty one ends it', async () => {
    nock(API).get(PATH).query({ limit: '50', offset: '0', sort_by: 'newest' }).reply(200, businessReviews);
    const further = nock(API).get(PATH).query({ limit: '50', offset: '3', sort_by: 'newest' }).reply(200, { reviews: [], total: 412 });
    const pages = await fetchOnce();
    expect(further.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items)).toHaveLength(3);
    expect(pages.at(-1)?.cursor).toMatchObject({ since: '2026-07-15T04:05:33.000Z' });
  });

  test('a plan that ignores offset and repeats the same reviews does not loop', async () => {
    const scope = nock(API).get(PATH).query(true).times(2).reply(200, businessReviews);
    const pages = await fetchOnce();
    expect(scope.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items)).toHaveLength(3);
  });

  test('a later poll stops at the watermark and reports only the new review', async () => {
    nock(API).get(PATH).query(true).reply(200, businessReviews);
    nock(API).get(PATH).query(true).reply(200, { reviews: [], total: 412 });
    const first = await fetchOnce();
    const saved = JSON.parse(JSON.stringify(first.at(-1)?.cursor)) as unknown;

    const newer = { ...businessReviews.reviews[0]!, id: 'Zq3synthReviewYelp0004d', rating: 2, text: 'Cold soup again...', time_created: '2026-07-16 04:30:00' };
    const scope = nock(API).get(PATH).query({ limit: '50', offset: '0', sort_by: 'newest' }).reply(200, { ...businessReviews, reviews: [newer, ...businessReviews.reviews.slice(0, 2)] });
    const next = await fetchOnce(saved);
    expect(scope.isDone()).toBe(true);
    expect(next.flatMap((page) => page.items.map((item) => item.externalId))).toEqual(['Zq3synthReviewYelp0004d']);
    expect(next.at(-1)?.cursor).toMatchObject({ since: '2026-07-16T11:30:00.000Z' });
  });

  test('locale is passed on and names the language', async () => {
    const parsed = yelp.parseConfig({ businessId: BUSINESS, locale: 'fr_CA', baseUrl: 'https://yelp.example.net/' }, { apiKey: KEY });
    nock('https://yelp.example.net').get(PATH).query({ limit: '50', offset: '0', sort_by: 'newest', locale: 'fr_CA' }).reply(200, { ...businessReviews, total: 3 });
    const pages = await fetchOnce(null, parsed);
    expect(pages[0]?.items[0]?.language).toBe('fr');
  });

  test('a business without reviews is one empty page', async () => {
    nock(API).get(PATH).query(true).reply(200, { reviews: [], total: 0, possible_languages: [] });
    expect((await fetchOnce()).map((page) => page.items)).toEqual([[]]);
  });

  test('check() asks for a single review', async () => {
    const scope = nock(API).get(PATH).query({ limit: '1', offset: '0', sort_by: 'newest' }).reply(200, businessReviews);
    ctx = testContext({ platform: 'yelp' });
    await yelp.check(settings.config, settings.credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});

describe('errors', () => {
  test.each([
    [401, 'TOKEN_INVALID', 'Invalid access token or authorization header.'],
    [404, 'BUSINESS_NOT_FOUND', 'The requested business could not be found.'],
  ])('%i %s is a config error that quotes Yelp and never the key', async (status, code, description) => {
    nock(API).get(PATH).query(true).reply(status, { error: { code, description } });
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'config', status });
    expect(error.message).toContain(`${code}: ${description}`);
    expect(error.message).not.toContain(KEY);
  });

  test('the daily limit waits until RateLimit-ResetTime', async () => {
    nock(API)
      .get(PATH)
      .query(true)
      .reply(429, { error: { code: 'ACCESS_LIMIT_REACHED', description: 'You have reached the ACCESS limit for this client.' } }, {
        'RateLimit-DailyLimit': '5000',
        'RateLimit-Remaining': '0',
        'RateLimit-ResetTime': '2026-07-17T00:00:00+00:00',
      });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 12 * 3600_000 });
  });

  test('the per-second limit waits seconds, not until the daily reset every response names', async () => {
    nock(API)
      .get(PATH)
      .query(true)
      .reply(429, { error: { code: 'TOO_MANY_REQUESTS_PER_SECOND', description: 'You have exceeded the queries-per-second limit for this endpoint.' } }, {
        'RateLimit-ResetTime': '2026-07-17T00:00:00+00:00',
      });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5_000 });
  });

  test('a review without an id is bad_payload, with the page kept', async () => {
    nock(API).get(PATH).query(true).reply(200, { reviews: [{ text: 'no id' }], total: 1 });
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).toContain('no id');
  });
});

describe('settings', () => {
  test.each([
    [{}, { apiKey: KEY }, 'config.businessId is required'],
    [{ businessId: BUSINESS, locale: 'english' }, { apiKey: KEY }, 'config.locale must be'],
    [{ businessId: BUSINESS }, {}, 'credentials.apiKey is required'],
    [{ businessId: BUSINESS, baseUrl: 'ftp://x' }, { apiKey: KEY }, 'config.baseUrl must be an http or https URL'],
  ])('%j %j is refused', (config, credentials, message) => {
    expect(() => yelp.parseConfig(config, credentials)).toThrow(message);
  });

  test('the key is secret, and capabilities say what Yelp allows', () => {
    expect(yelp.credentialsSchema.apiKey?.secret).toBe(true);
    expect(yelp.capabilities).toEqual({ hasRatings: true, detectsOwnerReplies: false, seesEdits: false, push: false, maxItemsPerPoll: 3 });
  });
});
