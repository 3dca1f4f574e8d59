import nock from 'nock';
import { mastodon } from '../../../connectors/mastodon/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://mastodon-instance.test';
const REMOTE = 'https://remote-server.test';
const TERM = 'Quillby Coffee';
const TAG = 'quillbycoffee';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

// Mastodon's ids are opaque strings (Pleroma's are not even numeric); the fake makes them non-numeric too.
const statusId = (fakeId: string) => `AQ${Buffer.from(fakeId).toString('base64url')}`;
const statusUri = (fakeId: string) => `${REMOTE}/users/synth/statuses/${fakeId}`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

function renderStatus(item: FakeItem) {
  return {
    id: statusId(item.id),
    created_at: item.publishedAt.toISOString(),
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: statusUri(item.id),
    url: `${REMOTE}/@synth/${item.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: item.updatedAt?.toISOString() ?? null,
    content: `<p>${escapeHtml(item.text)} <a href="${ORIGIN}/tags/${TAG}" class="mention hashtag" rel="tag">#<span>${TAG}</span></a></p>`,
    reblog: null,
    account: { id: '1090001', username: item.author, acct: `${item.author}@remote-server.test`, display_name: item.author, url: `${REMOTE}/@${item.author}` },
    media_attachments: [],
    mentions: [],
    tags: [{ name: TAG, url: `${ORIGIN}/tags/${TAG}` }],
    emojis: [],
    card: null,
    poll: null,
  };
}

type Reply = [number, string, Record<string, string>];

function newestFirst(platform: FakePlatform) {
  return [...platform.items].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).map(renderStatus);
}

/** GET /api/v1/timelines/tag/:tag with min_id (the page right after it), max_id (older) or neither (newest). */
function tagTimeline(platform: FakePlatform, params: URLSearchParams): Reply {
  const all = newestFirst(platform);
  const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 20), 40);
  const position = (id: string | null) => (id === null ? -1 : all.findIndex((status) => status.id === id));
  let page;
  const minId = params.get('min_id');
  const maxId = params.get('max_id');
  if (minId !== null) {
    const newer = position(minId) === -1 ? all : all.slice(0, position(minId));
    page = newer.slice(Math.max(0, newer.length - limit));
  } else if (maxId !== null) {
    page = all.slice(position(maxId) + 1, position(maxId) + 1 + limit);
  } else {
    page = all.slice(0, limit);
  }
  const headers: Record<string, string> = { ...JSON_TYPE };
  if (page.length > 0) {
    const base = `${ORIGIN}/api/v1/timelines/tag/${TAG}`;
    headers.link = `<${base}?max_id=${page.at(-1)!.id}>; rel="next", <${base}?min_id=${page[0]!.id}>; rel="prev"`;
  }
  return [200, JSON.stringify(page), headers];
}

function search(platform: FakePlatform, params: URLSearchParams): Reply {
  const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 20), 40);
  const offset = Number(params.get('offset') ?? 0);
  const statuses = newestFirst(platform).slice(offset, offset + limit);
  return [200, JSON.stringify({ accounts: [], statuses, hashtags: [] }), JSON_TYPE];
}

export const adapter: ContractAdapter = {
  connector: mastodon,
  config: { instanceUrl: ORIGIN, hashtags: [TAG], terms: [TERM] },
  credentials: { accessToken: 'synthetic-mastodon-token-0001' },
  origin: ORIGIN,
  externalId: statusUri,
  pages: true,
  term: TERM,
  serve(platform: FakePlatform) {
    // nock 15 hands reply functions the fetch Request.
    nock(ORIGIN)
      .persist()
      .get(/^\/api\/(v1\/timelines\/tag\/|v2\/search|v1\/accounts\/verify_credentials)/)
      .query(true)
      .reply((request: Request): Reply => {
        platform.requests++;
        const url = new URL(request.url);
        const isSearch = url.pathname === '/api/v2/search';
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify(isSearch ? [{ id: 'x' }] : { statuses: 'not a list' }), JSON_TYPE];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        if (url.pathname === '/api/v1/accounts/verify_credentials') {
          return [200, JSON.stringify({ id: '1090009', username: 'watcher', acct: 'watcher', display_name: 'Watcher' }), JSON_TYPE];
        }
        return isSearch ? search(platform, url.searchParams) : tagTimeline(platform, url.searchParams);
      });
  },
};
