import nock from 'nock';
import { hackerNews } from '../../../connectors/hackernews/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://hn-algolia.test';
const TERM = 'Quillby Coffee';

/** A comment hit in Algolia's shape, its text as HN sends it (HTML). */
function renderHit(item: FakeItem) {
  const createdAtS = Math.floor(item.publishedAt.getTime() / 1000);
  return {
    created_at: new Date(createdAtS * 1000).toISOString(),
    title: null,
    url: null,
    author: item.author,
    points: null,
    story_text: null,
    comment_text: item.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#x27;'),
    num_comments: null,
    story_id: 40000000,
    story_title: 'A synthetic story',
    story_url: null,
    parent_id: 40000000,
    created_at_i: createdAtS,
    _tags: ['comment', `author_${item.author}`, 'story_40000000'],
    objectID: item.id,
  };
}

function numericBounds(filters: string): { after: number; atMost: number } {
  let after = -Infinity;
  let atMost = Infinity;
  for (const filter of filters.split(',')) {
    const match = /^created_at_i(>|<=)(\d+)$/.exec(filter.trim());
    if (match?.[1] === '>') after = Number(match[2]);
    if (match?.[1] === '<=') atMost = Number(match[2]);
  }
  return { after, atMost };
}

export const adapter: ContractAdapter = {
  connector: hackerNews,
  config: { terms: [TERM], baseUrl: ORIGIN },
  credentials: {},
  origin: ORIGIN,
  externalId: (fakeId) => fakeId,
  pages: true,
  term: TERM,
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .get('/api/v1/search_by_date')
      .query(true)
      // nock 15 hands reply functions the fetch Request.
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ hits: { unexpected: true }, nbPages: 1 }), { 'content-type': 'application/json' }];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const { after, atMost } = numericBounds(params.get('numericFilters') ?? '');
        const perPage = Math.min(platform.pageSize, Number(params.get('hitsPerPage') ?? 20));
        const page = Number(params.get('page') ?? 0);
        const hits = platform.items
          .map(renderHit)
          .filter((hit) => hit.created_at_i > after && hit.created_at_i <= atMost)
          .sort((a, b) => b.created_at_i - a.created_at_i);
        const body = {
          hits: hits.slice(page * perPage, (page + 1) * perPage),
          nbHits: hits.length,
          page,
          nbPages: Math.ceil(hits.length / perPage),
          hitsPerPage: perPage,
          exhaustiveNbHits: true,
          query: params.get('query'),
          params: params.toString(),
          processingTimeMS: 1,
        };
        return [200, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' }];
      });
  },
};
