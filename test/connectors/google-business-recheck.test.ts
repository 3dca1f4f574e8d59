import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import { reviewToItem } from '../../connectors/google-business/reviews.ts';
import page1 from '../fixtures/google-business/reviews-page-1.json' with { type: 'json' };
import token from '../fixtures/google-business/token.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://mybusiness.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const REVIEWS = '/v4/accounts/1122334455/locations/9988776655/reviews';
const CREDENTIALS = { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-SyntheticSecret000', refreshToken: '1//0gSyntheticRefreshToken' };
const [rosalind, joaquin, anonymous] = page1.reviews;
const notFound = { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } };
const denied = { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } };

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function recheck(reviewIds: string[]) {
  const parsed = googleBusiness.parseConfig({ accountId: 'accounts/1122334455', locationId: '9988776655' }, CREDENTIALS);
  ctx = testContext({ platform: 'google_business', now: new Date('2026-03-02T12:30:00Z') });
  return googleBusiness.recheck!(parsed.config, parsed.credentials, reviewIds, ctx);
}

const tokenOk = () => nock(OAUTH).post('/token').reply(200, token);

describe('recheck', () => {
  test('an edited review is fetched by its name and normalised as fetch does', async () => {
    tokenOk();
    const edited = { ...joaquin!, starRating: 'THREE', comment: 'Friendly, but the chain slipped again a week later.', updateTime: '2026-03-02T12:10:00Z' };
    const lookup = nock(API).get(`${REVIEWS}/${joaquin!.reviewId}`).matchHeader('authorization', `Bearer ${token.access_token}`).reply(200, edited);

    const answer = await recheck([joaquin!.reviewId]);

    expect(lookup.isDone()).toBe(true);
    expect(answer).toEqual({
      items: [{ ...reviewToItem(joaquin!), rating: 3, body: 'Friendly, but the chain slipped again a week later.', updatedAt: new Date('2026-03-02T12:10:00Z'), raw: edited }],
      removed: [],
    });
    expect(answer.items[0]).toMatchObject({ externalId: 'AbFvOqnSynthGbpReview0002xYz', author: 'Joaquín Berruezo' });
  });

  test('NOT_FOUND (404) is removed; PERMISSION_DENIED (403) is neither', async () => {
    tokenOk();
    nock(API).get(`${REVIEWS}/${rosalind!.reviewId}`).reply(404, notFound);
    nock(API).get(`${REVIEWS}/${anonymous!.reviewId}`).reply(403, denied);

    expect(await recheck([rosalind!.reviewId, anonymous!.reviewId])).toEqual({ items: [], removed: [rosalind!.reviewId] });
  });

  test('a body that is not the review asked for is a bad payload, not an emptied review', async () => {
    tokenOk();
    nock(API).get(`${REVIEWS}/${rosalind!.reviewId}`).reply(200, { review: rosalind });
    expect((await connectorFailure(recheck([rosalind!.reviewId]))).kind).toBe('bad_payload');
  });

  test('a review found only by its name still keeps its id; 429 propagates', async () => {
    tokenOk();
    const { reviewId: _id, ...byName } = anonymous!;
    nock(API).get(`${REVIEWS}/${anonymous!.reviewId}`).reply(200, byName);
    expect((await recheck([anonymous!.reviewId])).items.map((item) => item.externalId)).toEqual([anonymous!.reviewId]);
    await ctx.http.close();

    tokenOk();
    nock(API).get(`${REVIEWS}/${anonymous!.reviewId}`).reply(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } });
    expect((await connectorFailure(recheck([anonymous!.reviewId]))).kind).toBe('rate_limited');
  });
});
