import nock from 'nock';
import { trustpilot } from '../../../connectors/trustpilot/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://api.trustpilot.test';
const UNIT = '5f0c0ffee0000000000000aa';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

const reviewId = (fakeId: string) => `65ab${fakeId.padStart(20, '0')}`;

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
    companyReply: item.ownerReply === null ? null : { text: item.ownerReply.text, authorBusinessUserId: 'synthbizuser', authorBusinessUserName: 'Owner', createdAt: item.ownerReply.at.toISOString(), updatedAt: null },
    isVerified: false,
    numberOfLikes: 0,
    status: 'active',
    links: [{ href: `${ORIGIN}/v1/reviews/${reviewId(item.id)}`, method: 'GET', rel: 'reviews' }],
  };
}

export const adapter: ContractAdapter = {
  connector: trustpilot,
  config: { businessUnitId: UNIT, baseUrl: ORIGIN },
  credentials: { apiKey: 'synthetic-trustpilot-key-0123456789' },
  origin: ORIGIN,
  externalId: reviewId,
  pages: true,
  term: 'Quillby Coffee',
  serve(platform: FakePlatform) {
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
