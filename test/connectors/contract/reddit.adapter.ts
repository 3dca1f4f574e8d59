import nock from 'nock';
import { reddit } from '../../../connectors/reddit/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://reddit-api.test';
const TERM = 'Quillby Coffee';
const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };

// Reddit ids are base-36 strings; fullnames prefix the kind.
const fullname = (fakeId: string) => `t3_${Buffer.from(fakeId).toString('hex')}`;

function renderPost(item: FakeItem) {
  const id = fullname(item.id).slice(3);
  return {
    kind: 't3',
    data: {
      subreddit: 'synthcity',
      selftext: item.text,
      author_fullname: 't2_synth01',
      title: `About ${TERM}`,
      subreddit_name_prefixed: 'r/synthcity',
      name: `t3_${id}`,
      id,
      score: 3,
      num_comments: 0,
      edited: item.updatedAt === null ? false : item.updatedAt.getTime() / 1000,
      author: item.author,
      created: item.publishedAt.getTime() / 1000,
      created_utc: item.publishedAt.getTime() / 1000,
      permalink: `/r/synthcity/comments/${id}/about_quillby_coffee/`,
      url: `https://www.reddit.com/r/synthcity/comments/${id}/about_quillby_coffee/`,
      is_self: true,
      over_18: false,
    },
  };
}

type Reply = [number, string, Record<string, string>];

export const adapter: ContractAdapter = {
  connector: reddit,
  config: { terms: [TERM], baseUrl: ORIGIN, authBaseUrl: ORIGIN },
  credentials: { clientId: 'synthClientId01', clientSecret: 'synthetic-client-secret-0001' },
  origin: ORIGIN,
  externalId: fullname,
  pages: true,
  term: TERM,
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .post('/api/v1/access_token')
      .reply(200, { access_token: 'synthetic-app-token', token_type: 'bearer', expires_in: 86400, scope: '*' }, JSON_TYPE);
    // nock 15 hands reply functions the fetch Request.
    nock(ORIGIN)
      .persist()
      .get('/search')
      .query(true)
      .reply((request: Request): Reply => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify([{ kind: 'Listing' }]), JSON_TYPE];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 25), 100);
        const all = [...platform.items].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).map(renderPost);
        const after = params.get('after');
        const start = after === null ? 0 : all.findIndex((post) => post.data.name === after) + 1;
        const children = all.slice(start, start + limit);
        const more = start + limit < all.length;
        const body = { kind: 'Listing', data: { after: more ? children.at(-1)!.data.name : null, dist: children.length, modhash: '', geo_filter: '', children, before: null } };
        return [200, JSON.stringify(body), { ...JSON_TYPE, 'x-ratelimit-used': String(platform.requests), 'x-ratelimit-remaining': '99.0', 'x-ratelimit-reset': '42' }];
      });
  },
};
