import nock from 'nock';
import { bluesky } from '../../../connectors/bluesky/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://pds.bsky.test';
const IDENTIFIER = 'contract-watcher.bsky.social';
const APP_PASSWORD = 'cntr-syth-pass-word';
const ACCESS_JWT = 'synthetic-contract-access-jwt';
const TERM = 'Quillfeather Diner';
const MAX_LIMIT = 100;

// One author DID per fake id, in did:plc's 24-character form.
const didOf = (fakeId: string) => `did:plc:synthcontract${fakeId.padStart(11, '0')}`;
const uriOf = (fakeId: string) => `at://${didOf(fakeId)}/app.bsky.feed.post/3mcontract${fakeId}`;
// Posts are indexed a moment after their author's client stamps them.
const indexedAt = (item: FakeItem) => new Date(item.publishedAt.getTime() + 1_250);

function postView(item: FakeItem) {
  const handle = `${item.author.toLowerCase().replace(/[^a-z0-9]+/g, '')}.bsky.social`;
  return {
    uri: uriOf(item.id),
    cid: `bafyreisyntheticcontract${item.id}`,
    author: { did: didOf(item.id), handle, displayName: item.author, labels: [], createdAt: '2024-11-20T08:00:00.000Z' },
    record: { $type: 'app.bsky.feed.post', text: item.text, langs: ['en'], createdAt: item.publishedAt.toISOString() },
    replyCount: 0,
    repostCount: 0,
    likeCount: 2,
    quoteCount: 0,
    indexedAt: indexedAt(item).toISOString(),
    labels: [],
  };
}

const xrpcError = (error: string, message: string) => JSON.stringify({ error, message });

/** searchPosts: loose word-prefix search, newest first, `since` inclusive, an offset cursor until the last page. */
function search(platform: FakePlatform, params: URLSearchParams) {
  const words = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const since = params.get('since');
  const limit = Math.min(platform.pageSize, Number(params.get('limit') ?? 25), MAX_LIMIT);
  const offset = Number(params.get('cursor') ?? 0);
  const hits = platform.items
    .filter((item) => words.every((word) => item.text.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(word))))
    .filter((item) => since === null || indexedAt(item).getTime() >= Date.parse(since))
    .sort((a, b) => indexedAt(b).getTime() - indexedAt(a).getTime());
  const next = offset + limit < hits.length ? String(offset + limit) : undefined;
  return { ...(next === undefined ? {} : { cursor: next }), hitsTotal: hits.length, posts: hits.slice(offset, offset + limit).map(postView) };
}

export const adapter: ContractAdapter = {
  connector: bluesky,
  config: { terms: [TERM], baseUrl: ORIGIN },
  credentials: { identifier: IDENTIFIER, appPassword: APP_PASSWORD },
  origin: ORIGIN,
  externalId: uriOf,
  pages: true,
  term: TERM,
  serve(platform) {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    nock(ORIGIN)
      .persist()
      .post('/xrpc/com.atproto.server.createSession')
      // nock 15 hands reply functions the fetch Request, and waits for an async one.
      .reply(async (request: Request): Promise<[number, string, Record<string, string>]> => {
        const input = (await request.json().catch(() => ({}))) as Record<string, unknown>;
        if (input.identifier !== IDENTIFIER || input.password !== APP_PASSWORD) {
          return [401, xrpcError('AuthenticationRequired', 'Invalid identifier or password'), json];
        }
        const session = { did: 'did:plc:synthcontractwatcher0', handle: IDENTIFIER, accessJwt: ACCESS_JWT, refreshJwt: 'synthetic-contract-refresh-jwt', active: true };
        return [200, JSON.stringify(session), json];
      });
    nock(ORIGIN)
      .persist()
      .get('/xrpc/app.bsky.feed.searchPosts')
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        if (request.headers.get('authorization') !== `Bearer ${ACCESS_JWT}`) return [401, xrpcError('AuthenticationRequired', 'Authentication Required'), json];
        platform.requests++;
        const failure = platform.failures.shift();
        // An object where the list of posts belongs.
        if (failure === 'malformed') return [200, JSON.stringify({ posts: { unexpected: true }, hitsTotal: 1 }), json];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        return [200, JSON.stringify(search(platform, new URL(request.url).searchParams)), json];
      });
  },
};
