import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import { originalComment } from '../../connectors/google-business/reviews.ts';
import page1 from '../fixtures/google-business/reviews-page-1.json' with { type: 'json' };
import page2 from '../fixtures/google-business/reviews-page-2.json' with { type: 'json' };
import token from '../fixtures/google-business/token.json' with { type: 'json' };
import invalidGrant from '../fixtures/google-business/error-invalid-grant.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://mybusiness.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const PATH = '/v4/accounts/1122334455/locations/9988776655/reviews';
const CREDENTIALS = { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-SyntheticSecret000', refreshToken: '1//0gSyntheticRefreshToken' };
const settings = googleBusiness.parseConfig({ accountId: 'accounts/1122334455', locationId: '9988776655' }, CREDENTIALS);

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function fetchOnce(cursor: unknown = null, parsed = settings, now = new Date('2026-03-02T12:30:00Z')) {
  ctx = testContext({ platform: 'google_business', now });
  return allPages(googleBusiness.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

const tokenOk = () => nock(OAUTH).post('/token').reply(200, token);
const saved = (pages: Array<{ cursor: unknown }>) => JSON.parse(JSON.stringify(pages.at(-1)?.cursor)) as unknown;

describe('fetch', () => {
  test('refreshes the access token with a form, then pages through reviews by update time', async () => {
    const refresh = nock(OAUTH)
      .post('/token', (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.client_id === CREDENTIALS.clientId && body.client_secret === CREDENTIALS.clientSecret && body.refresh_token === CREDENTIALS.refreshToken)
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, token);
    const first = nock(API).get(PATH).query({ pageSize: '50', orderBy: 'updateTime desc' }).matchHeader('authorization', `Bearer ${token.access_token}`).reply(200, page1);
    const second = nock(API).get(PATH).query({ pageSize: '50', orderBy: 'updateTime desc', pageToken: page1.nextPageToken }).reply(200, page2);
    const pages = await fetchOnce();
    expect(refresh.isDone() && first.isDone() && second.isDone()).toBe(true);
    expect(pages).toHaveLength(2);
    const items = pages.flatMap((page) => page.items);
    expect(items[0]).toEqual({
      externalId: 'AbFvOqnSynthGbpReview0001xYz',
      kind: 'review',
      url: null,
      author: 'Rosalind Achterberg',
      rating: 2,
      title: null,
      body: 'The bike was ready a day late and nobody called to say so. The repair itself seems solid.',
      language: null,
      publishedAt: new Date('2026-03-01T16:20:05.114Z'),
      updatedAt: new Date('2026-03-02T09:41:17.502Z'),
      ownerReply: { text: 'Sorry about the delay, Rosalind. We now text every customer when a repair slips.', at: new Date('2026-03-02T10:05:00Z') },
      raw: page1.reviews[0],
    });
    // The customer's own words, not Google's translation; unchanged reviews have no update time.
    expect(items[1]).toMatchObject({ rating: 5, body: 'Mecánicos muy amables, me arreglaron la cadena en diez minutos.', updatedAt: null, ownerReply: null });
    // Stars without words.
    expect(items[2]).toMatchObject({ rating: 4, body: '', author: 'A Google user' });
    expect(items[3]).toMatchObject({ rating: null, body: 'Snelle service en eerlijke prijs.' });
    expect(pages[0]?.cursor).toMatchObject({ since: null });
    expect(pages[1]?.cursor).toMatchObject({ since: '2026-03-02T09:41:17.502Z' });
  });

  test('a later poll stops at the watermark and reports only the new reply', async () => {
    tokenOk();
    nock(API).get(PATH).query((q) => q.pageToken === undefined).reply(200, page1);
    nock(API).get(PATH).query((q) => q.pageToken !== undefined).reply(200, page2);
    const first = await fetchOnce();

    // The owner answers review 2; Google moves it to the top.
    const replied = { ...page1.reviews[1]!, updateTime: '2026-03-02T13:00:00Z', reviewReply: { comment: '¡Gracias, Joaquín!', updateTime: '2026-03-02T13:00:00Z' } };
    tokenOk();
    const scope = nock(API)
      .get(PATH)
      .query((q) => q.pageToken === undefined)
      .reply(200, { ...page1, reviews: [replied, page1.reviews[0], page1.reviews[2]] });
    const next = await fetchOnce(saved(first), undefined, new Date('2026-03-02T13:15:00Z'));
    expect(scope.isDone()).toBe(true);
    const items = next.flatMap((page) => page.items);
    expect(items.map((item) => item.externalId)).toEqual(['AbFvOqnSynthGbpReview0002xYz']);
    expect(items[0]?.ownerReply).toEqual({ text: '¡Gracias, Joaquín!', at: new Date('2026-03-02T13:00:00Z') });
    expect(next.at(-1)?.cursor).toMatchObject({ since: '2026-03-02T13:00:00.000Z' });
  });

  test('a location without reviews answers {} and gives one empty page', async () => {
    tokenOk();
    nock(API).get(PATH).query(true).reply(200, {});
    expect((await fetchOnce()).map((page) => page.items)).toEqual([[]]);
  });

  test('check() refreshes the token and asks for one review', async () => {
    tokenOk();
    const scope = nock(API).get(PATH).query({ pageSize: '1', orderBy: 'updateTime desc' }).reply(200, page1);
    ctx = testContext({ platform: 'google_business' });
    await googleBusiness.check(settings.config, settings.credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});

describe('comments translated by Google', () => {
  test.each([
    ['(Translated by Google) Good coffee.\n\n(Original)\nBon café.', 'Bon café.'],
    ['Bon café.\n\n(Translated by Google)\nGood coffee.', 'Bon café.'],
    ['  Plain words.  ', 'Plain words.'],
    ['Quoting "(Original)" is fine', 'Quoting "(Original)" is fine'],
  ])('%j → %j', (comment, original) => {
    expect(originalComment(comment)).toBe(original);
  });
});

describe('errors', () => {
  test('a revoked refresh token is a config error telling the owner to reconnect, without secrets', async () => {
    nock(OAUTH).post('/token').reply(400, invalidGrant);
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'config', status: 400 });
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('the refresh token was revoked or expired: reconnect the Google account');
    for (const secret of [CREDENTIALS.clientSecret, CREDENTIALS.refreshToken]) expect(error.message).not.toContain(secret);
  });

  test('a refused client is a config error naming the client settings', async () => {
    nock(OAUTH).post('/token').reply(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'config', status: 401 });
    expect(error.message).toContain('check credentials.clientId and credentials.clientSecret');
  });

  test('the token endpoint failing is transient', async () => {
    nock(OAUTH).post('/token').reply(503, 'unavailable');
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'transient', status: 503 });
  });

  test('a token reply without access_token is bad_payload keeping only its shape', async () => {
    nock(OAUTH).post('/token').reply(200, { id_token: 'eyJsecret-looking', expires_in: 3599 });
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).toBe('["id_token","expires_in"]');
  });

  test('403 PERMISSION_DENIED (project not approved, or not a manager) is a config error', async () => {
    tokenOk();
    nock(API).get(PATH).query(true).reply(403, { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } });
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'config', status: 403 });
    expect(error.message).toContain('PERMISSION_DENIED');
    expect(error.message).not.toContain(token.access_token);
  });

  test('429 RESOURCE_EXHAUSTED is rate_limited', async () => {
    tokenOk();
    nock(API).get(PATH).query(true).reply(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } }, { 'Retry-After': '30' });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
  });
});

describe('settings', () => {
  test('ids may be given bare or as resource names', () => {
    const parsed = googleBusiness.parseConfig({ accountId: '1122334455', locationId: 'accounts/1122334455/locations/9988776655' }, CREDENTIALS);
    expect(parsed.config).toEqual({
      accountId: '1122334455',
      locationId: '9988776655',
      baseUrl: 'https://mybusiness.googleapis.com',
      tokenBaseUrl: 'https://oauth2.googleapis.com',
      pubsubBaseUrl: 'https://pubsub.googleapis.com',
      notificationsBaseUrl: 'https://mybusinessnotifications.googleapis.com',
    });
  });

  test('a Pub/Sub subscription and topic are kept as Google names them', () => {
    const parsed = googleBusiness.parseConfig(
      { accountId: '1', locationId: '2', pubsubSubscription: 'projects/my-project/subscriptions/earshot-reviews', pubsubTopic: 'projects/my-project/topics/business-reviews' },
      CREDENTIALS,
    );
    expect(parsed.config).toMatchObject({ pubsubSubscription: 'projects/my-project/subscriptions/earshot-reviews', pubsubTopic: 'projects/my-project/topics/business-reviews' });
  });

  test.each([
    [{ accountId: 'locations/1', locationId: '2' }, 'config.accountId must be'],
    [{ accountId: '1', locationId: 'a b' }, 'config.locationId must be'],
    [{ accountId: '1', locationId: '2', tokenBaseUrl: 'file:///etc' }, 'config.tokenBaseUrl must be an http or https URL'],
    [{ accountId: '1', locationId: '2', pubsubSubscription: 'earshot-reviews' }, 'config.pubsubSubscription must be a Pub/Sub subscription name such as "projects/my-project/subscriptions/earshot-reviews"'],
    [{ accountId: '1', locationId: '2', pubsubSubscription: 'projects/my-project/topics/business-reviews' }, 'config.pubsubSubscription must be a Pub/Sub subscription name'],
    [{ accountId: '1', locationId: '2', pubsubTopic: 'projects/my-project/subscriptions/earshot-reviews' }, 'config.pubsubTopic must be a Pub/Sub topic name'],
    [{ accountId: '1', locationId: '2', pubsubBaseUrl: 'ftp://pubsub.example' }, 'config.pubsubBaseUrl must be an http or https URL'],
  ])('%j is refused', (config, message) => {
    expect(() => googleBusiness.parseConfig(config, CREDENTIALS)).toThrow(message);
  });

  test('the client secret and refresh token are secret', () => {
    expect(googleBusiness.credentialsSchema.clientSecret?.secret).toBe(true);
    expect(googleBusiness.credentialsSchema.refreshToken?.secret).toBe(true);
  });
});
