import nock from 'nock';
import { googleBusiness } from '../../../connectors/google-business/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://mybusiness.googleapis.test';
const TOKEN_ORIGIN = 'https://oauth2.googleapis.test';
const ACCOUNT = '1029384756';
const LOCATION = '5647382910';
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const STARS = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'];

const reviewId = (fakeId: string) => `AbFvOqSynth${fakeId}Review`;

/** A review as the v4 API sends it: enum stars, no language, no link. */
function renderReview(item: FakeItem) {
  const id = reviewId(item.id);
  return {
    name: `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/${id}`,
    reviewId: id,
    reviewer: { displayName: item.author, profilePhotoUrl: 'https://lh3.googleusercontent.com/a/synthetic-photo', isAnonymous: false },
    starRating: STARS[item.rating - 1],
    comment: item.text,
    createTime: item.publishedAt.toISOString(),
    updateTime: (item.updatedAt ?? item.publishedAt).toISOString(),
    ...(item.ownerReply === null ? {} : { reviewReply: { comment: item.ownerReply.text, updateTime: item.ownerReply.at.toISOString() } }),
  };
}

export const adapter: ContractAdapter = {
  connector: googleBusiness,
  config: { accountId: ACCOUNT, locationId: LOCATION, baseUrl: ORIGIN, tokenBaseUrl: TOKEN_ORIGIN },
  credentials: { clientId: 'synthetic-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-synthetic-secret', refreshToken: '1//synthetic-refresh-token' },
  origin: ORIGIN,
  externalId: reviewId,
  pages: true,
  term: 'Quillby Coffee',
  serve(platform: FakePlatform) {
    nock(TOKEN_ORIGIN)
      .persist()
      .post('/token')
      .reply(200, { access_token: 'ya29.synthetic-access-token', expires_in: 3599, scope: 'https://www.googleapis.com/auth/business.manage', token_type: 'Bearer' }, JSON_HEADERS);
    nock(ORIGIN)
      .persist()
      .get(`/v4/accounts/${ACCOUNT}/locations/${LOCATION}/reviews`)
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ reviews: { unexpected: true } }), JSON_HEADERS];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const pageSize = Math.min(platform.pageSize, Number(params.get('pageSize') ?? 50), 50);
        const token = params.get('pageToken');
        const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', ''));
        const all = platform.items.map(renderReview).sort((a, b) => Date.parse(b.updateTime) - Date.parse(a.updateTime));
        const reviews = all.slice(offset, offset + pageSize);
        const next = offset + pageSize < all.length ? Buffer.from(`offset:${offset + pageSize}`).toString('base64url') : undefined;
        const body = all.length === 0 ? {} : { reviews, averageRating: 3.4, totalReviewCount: all.length, ...(next === undefined ? {} : { nextPageToken: next }) };
        return [200, JSON.stringify(body), JSON_HEADERS];
      });
  },
};
