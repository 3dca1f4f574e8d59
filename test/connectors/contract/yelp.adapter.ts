import nock from 'nock';
import { yelp } from '../../../connectors/yelp/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://api.yelp.test';
const BUSINESS = 'quillby-coffee-springfield-2';
const JSON_HEADERS = { 'content-type': 'application/json' };

const pacific = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A review as Yelp sends it: time_created in Pacific wall-clock time, without a zone. */
function renderReview(item: FakeItem) {
  const id = `SynthYelp${item.id}xxxxxxxxx`;
  return {
    id,
    url: `https://www.yelp.com/biz/${BUSINESS}?adjust_creative=SynthClient&hrid=${id}&utm_campaign=yelp_api_v3&utm_medium=api_v3_business_reviews&utm_source=SynthClient`,
    text: item.text,
    rating: item.rating,
    time_created: pacific.format(item.publishedAt),
    user: { id: `SynthUser${item.id}`, profile_url: `https://www.yelp.com/user_details?userid=SynthUser${item.id}`, image_url: null, name: item.author },
  };
}

export const adapter: ContractAdapter = {
  connector: yelp,
  config: { businessId: BUSINESS, baseUrl: ORIGIN },
  credentials: { apiKey: 'synthetic-yelp-api-key-0123456789' },
  origin: ORIGIN,
  externalId: (fakeId) => `SynthYelp${fakeId}xxxxxxxxx`,
  pages: true,
  term: 'Quillby Coffee',
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .get(`/v3/businesses/${BUSINESS}/reviews`)
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ reviews: { unexpected: true }, total: 1 }), JSON_HEADERS];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 20));
        const offset = Number(params.get('offset') ?? 0);
        const reviews = [...platform.items].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).map(renderReview);
        const body = { reviews: reviews.slice(offset, offset + limit), total: reviews.length, possible_languages: ['en'] };
        return [200, JSON.stringify(body), JSON_HEADERS];
      });
  },
};
