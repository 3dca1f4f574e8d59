import nock from 'nock';
import { mastodon } from '../../../connectors/mastodon/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://mastodon-instance.test';
const REMOTE = 'https://remote-server.test';
const TERM = 'Quillby Coffee';
const TAG = 'quillbycoffee';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

// Mastodon's ids are opaque strings (Pleroma's are not even numeric); the fake makes them non-numeric too.
const statusId = (fakeId: string) => `AQ${Buffer.from(fakeId).toString('base64url')}`;
const statusUri = (fakeId: string) => `${REMOTE}/users/synth/statuses/${fakeId}`;
// Usernames are letters, digits and _ only.
const username = (author: string) => author.replace(/[^A-Za-z0-9_]+/g, '_');
const acctOf = (item: FakeItem) => `${username(item.author)}@remote-server.test`;
const WATCHER = { id: '1090009', username: 'watcher', acct: 'watcher', display_name: 'Watcher', url: `${ORIGIN}/@watcher` };
// Our reply to a fake item; its id names the item it answers.
const replyId = (fakeId: string) => `RE${statusId(fakeId)}`;

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
    account: { id: '1090001', username: username(item.author), acct: acctOf(item), display_name: item.author, url: `${REMOTE}/@${username(item.author)}` },
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
  // A resolving search for a post's uri finds that post (fetching it from its server if need be).
  if (params.get('resolve') === 'true' && (params.get('q') ?? '').startsWith('https://')) {
    const statuses = newestFirst(platform).filter((status) => status.uri === params.get('q'));
    return [200, JSON.stringify({ accounts: [], statuses, hashtags: [] }), JSON_TYPE];
  }
  const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 20), 40);
  const offset = Number(params.get('offset') ?? 0);
  const statuses = newestFirst(platform).slice(offset, offset + limit);
  return [200, JSON.stringify({ accounts: [], statuses, hashtags: [] }), JSON_TYPE];
}

/** Our reply as Mastodon renders it: the author's mention (shown as @username) in front of the text. */
function renderReply(item: FakeItem) {
  const reply = item.ownerReply!;
  const mention = `<span class="h-card" translate="no"><a href="${REMOTE}/@${username(item.author)}" class="u-url mention">@<span>${username(item.author)}</span></a></span>`;
  return {
    ...renderStatus(item),
    id: replyId(item.id),
    uri: `${ORIGIN}/users/watcher/statuses/${replyId(item.id)}`,
    url: `${ORIGIN}/@watcher/${replyId(item.id)}`,
    created_at: reply.at.toISOString(),
    edited_at: null,
    in_reply_to_id: statusId(item.id),
    in_reply_to_account_id: '1090001',
    content: `<p>${mention} ${escapeHtml(reply.text)}</p>`,
    account: WATCHER,
    tags: [],
  };
}

const itemByStatusId = (platform: FakePlatform, id: unknown) => platform.items.find((item) => statusId(item.id) === id);
const itemByReplyId = (platform: FakePlatform, id: string) => platform.items.find((item) => replyId(item.id) === id);

/** GET /api/v1/statuses/:id/context: the watcher's reply is the post's one descendant. */
function context(platform: FakePlatform, id: string): Reply {
  const item = itemByStatusId(platform, id);
  if (item === undefined) return [404, JSON.stringify({ error: 'Record not found' }), JSON_TYPE];
  return [200, JSON.stringify({ ancestors: [], descendants: item.ownerReply === null ? [] : [renderReply(item)] }), JSON_TYPE];
}

/**
 * A reply posted (POST /api/v1/statuses), edited (PUT) or deleted (DELETE). The fake
 * stores the text without the author's mention, which it requires, and answers a
 * repeated Idempotency-Key with the status it already made, as Mastodon does.
 */
async function replyWrite(platform: FakePlatform, request: Request, seenKeys: Map<string, string>): Promise<Reply> {
  if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return [401, JSON.stringify({ error: 'The access token is invalid' }), JSON_TYPE];
  const key = request.headers.get('idempotency-key');
  if (request.method === 'POST' && key !== null && seenKeys.has(key)) return [200, seenKeys.get(key)!, JSON_TYPE];
  const replyTo = request.method === 'POST' ? null : decodeURIComponent(new URL(request.url).pathname.split('/').pop()!);
  const input = (request.method === 'DELETE' ? {} : await request.json().catch(() => ({}))) as Record<string, unknown>;
  const item = replyTo === null ? itemByStatusId(platform, input.in_reply_to_id) : itemByReplyId(platform, replyTo);
  if (item === undefined) return [404, JSON.stringify({ error: 'Record not found' }), JSON_TYPE];
  const text = String(input.status ?? '');
  const mention = `@${acctOf(item)} `;
  const written = writeReply(platform, item.id, request.method === 'DELETE' ? null : text.startsWith(mention) ? text.slice(mention.length) : text);
  if (written === 'not_found') return [404, JSON.stringify({ error: 'Record not found' }), JSON_TYPE];
  if ('failure' in written) return failureReply(written.failure);
  if (request.method === 'DELETE') return [200, JSON.stringify({ id: replyTo, text }), JSON_TYPE];
  const body = JSON.stringify({ ...renderReply(written.item), visibility: input.visibility ?? 'public' });
  if (key !== null) seenKeys.set(key, body);
  return [200, body, JSON_TYPE];
}

const TOKEN = 'synthetic-mastodon-token-0001';

export const adapter: ContractAdapter = {
  connector: mastodon,
  config: { instanceUrl: ORIGIN, hashtags: [TAG], terms: [TERM] },
  credentials: { accessToken: TOKEN },
  origin: ORIGIN,
  externalId: statusUri,
  pages: true,
  term: TERM,
  // Mastodon publishes a status at once; its length limit is read from the instance.
  reply: { states: ['published'] },
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
          return [200, JSON.stringify(WATCHER), JSON_TYPE];
        }
        return isSearch ? search(platform, url.searchParams) : tagTimeline(platform, url.searchParams);
      });
    // The reply part: the instance's limit, a post's replies, and reply writes.
    nock(ORIGIN)
      .persist()
      .get('/api/v2/instance')
      .reply(200, { domain: 'mastodon-instance.test', configuration: { statuses: { max_characters: 500, max_media_attachments: 4 } } }, JSON_TYPE);
    nock(ORIGIN)
      .persist()
      .get(/^\/api\/v1\/statuses\/[^/]+\/context$/)
      .reply((request: Request): Reply => context(platform, decodeURIComponent(new URL(request.url).pathname.split('/')[4]!)));
    const seenKeys = new Map<string, string>();
    nock(ORIGIN)
      .persist()
      .post('/api/v1/statuses')
      .reply((request: Request) => replyWrite(platform, request, seenKeys))
      .put(/^\/api\/v1\/statuses\/[^/]+$/)
      .reply((request: Request) => replyWrite(platform, request, seenKeys))
      .delete(/^\/api\/v1\/statuses\/[^/]+$/)
      .reply((request: Request) => replyWrite(platform, request, seenKeys));
  },
};
