import nock from 'nock';
import { trustpilot } from '../../../connectors/trustpilot/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://api.trustpilot.test';
const UNIT = '5f0c0ffee0000000000000aa';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

const reviewId = (fakeId: string) => `65ab${fakeId.padStart(20, '0')}`;
const BUSINESS_USER = '5f0c0ffee0000000000000bb';
const REPLY = /^\/v1\/private\/reviews\/([^/]+)\/reply$/;
const ONE_REVIEW = /^\/v1\/reviews\/([^/]+)$/;
const NOT_FOUND: [number, string, Record<string, string>] = [404, JSON.stringify({ message: 'Not found' }), JSON_HEADERS];

/** The fake item a request's path names, by `pattern`'s first group. */
const itemIn = (platform: FakePlatform, request: Request, pattern: RegExp) =>
  platform.items.find((item) => reviewId(item.id) === decodeURIComponent(pattern.exec(new URL(request.url).pathname)?.[1] ?? ''));

/** A review as Trustpilot sends it (ids are 24 hex characters). */
function renderReview(item: FakeItem) {
  return {
    id: reviewId(item.id),
    consumer: { id: `64c0${item.id.padStart(20, '0')}`, displayName: item.author, displayLocation: 'Springfield', numberOfReviews: 2 },
    businessUnit: { id: UNIT, identifyingName: 'quillbycoffee.example', displayName: 'Quillby Coffee' },
    stars: item.rating,
    title: `Visit ${item.id}`,
    text: item.text,
    language: 'en',
    createdAt: item.publishedAt.toISOString(),
    updatedAt: item.updatedAt?.toISOString() ?? null,
    experiencedAt: item.publishedAt.toISOString(),
    companyReply:
      item.ownerReply === null ? null : { text: item.ownerReply.text, authorBusinessUserId: BUSINESS_USER, authorBusinessUserName: 'Owner', createdAt: item.ownerReply.at.toISOString(), updatedAt: null },
    isVerified: false,
    numberOfLikes: 0,
    status: 'active',
    links: [{ href: `${ORIGIN}/v1/reviews/${reviewId(item.id)}`, method: 'GET', rel: 'reviews' }],
  };
}

export const adapter: ContractAdapter = {
  connector: trustpilot,
  config: { businessUnitId: UNIT, baseUrl: ORIGIN },
  credentials: { apiKey: 'synthetic-trustpilot-key-0123456789', apiSecret: 'synthetic-trustpilot-secret', businessUserId: BUSINESS_USER },
  origin: ORIGIN,
  externalId: reviewId,
  pages: true,
  term: 'Quillby Coffee',
  reply: { states: ['published'] },
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .post('/v1/oauth/oauth-business-users-for-applications/accesstoken', 'grant_type=client_credentials')
      .basicAuth({ user: 'synthetic-trustpilot-key-0123456789', pass: 'synthetic-trustpilot-secret' })
      .reply(200, { access_token: 'synthetic-business-token', issued_at: '1740000000000', expires_in: '359999' }, JSON_HEADERS)
      .get(ONE_REVIEW)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const item = itemIn(platform, request, ONE_REVIEW);
        return item === undefined ? NOT_FOUND : [200, JSON.stringify(renderReview(item)), JSON_HEADERS];
      })
      .post(REPLY)
      .reply(async (request: Request): Promise<[number, string, Record<string, string>]> => {
        const { message, authorBusinessUserId } = (await request.json()) as { message?: unknown; authorBusinessUserId?: unknown };
        if (request.headers.get('authorization') !== 'Bearer synthetic-business-token' || authorBusinessUserId !== BUSINESS_USER) return [401, '{"message":"Unauthorized"}', JSON_HEADERS];
        const item = itemIn(platform, request, REPLY);
        const written = item === undefined ? 'not_found' : writeReply(platform, item.id, typeof message === 'string' ? message : '');
        if (written === 'not_found') return NOT_FOUND;
        return 'failure' in written ? failureReply(written.failure) : [201, '', {}];
      })
      .delete(REPLY)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const item = itemIn(platform, request, REPLY);
        const written = item === undefined ? 'not_found' : writeReply(platform, item.id, null);
        if (written === 'not_found') return NOT_FOUND;
        return 'failure' in written ? failureReply(written.failure) : [204, '', {}];
      });
    nock(ORIGIN)
      .persist()
      .get(`/v1/business-units/${UNIT}/reviews`)
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ reviews: { unexpected: true }, links: [] }), JSON_HEADERS];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const perPage = Math.min(platform.pageSize, Number(params.get('perPage') ?? 20));
        const page = Number(params.get('page') ?? 1);
        const all = [...platform.items].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).map(renderReview);
        const reviews = all.slice((page - 1) * perPage, page * perPage);
        const link = (rel: string, to: number) => ({ href: `${ORIGIN}/v1/business-units/${UNIT}/reviews?page=${to}&perPage=${perPage}`, method: 'GET', rel });
        const links = [...(page > 1 ? [link('prev-page', page - 1)] : []), ...(page * perPage < all.length ? [link('next-page', page + 1)] : [])];
        return [200, JSON.stringify({ links, reviews }), JSON_HEADERS];
      });
  },
};
