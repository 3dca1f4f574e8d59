import nock from 'nock';
import { bluesky } from '../../../connectors/bluesky/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://pds.bsky.test';
const IDENTIFIER = 'contract-watcher.bsky.social';
const APP_PASSWORD = 'cntr-syth-pass-word';
const ACCESS_JWT = 'synthetic-contract-access-jwt';
const TERM = 'Quillfeather Diner';
const MAX_LIMIT = 100;
const WATCHER_DID = 'did:plc:synthcontractwatcher0';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

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

type Reply = [number, string, Record<string, string>];

// Our reply to a fake item is a post in the watcher's repo; its rkey names the item it answers.
const replyRkey = (fakeId: string) => `3mreplyto${fakeId}`;
const replyUri = (fakeId: string) => `at://${WATCHER_DID}/app.bsky.feed.post/${replyRkey(fakeId)}`;
const fakeIdOfPost = (uri: unknown) => (typeof uri === 'string' ? /\/3mcontract(\d+)$/.exec(uri)?.[1] : undefined);

/** getPostThread at depth 1: the post, with the watcher's reply (the item's ownerReply) among its replies. */
function postThread(platform: FakePlatform, uri: string | null): Reply {
  const item = platform.items.find((candidate) => candidate.id === fakeIdOfPost(uri));
  if (item === undefined) return [400, xrpcError('NotFound', `Post not found: ${uri}`), JSON_TYPE];
  const post = postView(item);
  const replies =
    item.ownerReply === null
      ? []
      : [
          {
            $type: 'app.bsky.feed.defs#threadViewPost',
            post: {
              uri: replyUri(item.id),
              cid: `bafyreisyntheticreplyto${item.id}`,
              author: { did: WATCHER_DID, handle: IDENTIFIER, labels: [] },
              record: {
                $type: 'app.bsky.feed.post',
                text: item.ownerReply.text,
                createdAt: item.ownerReply.at.toISOString(),
                reply: { root: { uri: post.uri, cid: post.cid }, parent: { uri: post.uri, cid: post.cid } },
              },
              indexedAt: item.ownerReply.at.toISOString(),
              labels: [],
            },
            replies: [],
          },
        ];
  return [200, JSON.stringify({ thread: { $type: 'app.bsky.feed.defs#threadViewPost', post, replies } }), JSON_TYPE];
}

/** createRecord of a reply post, or deleteRecord of one, from the watcher's session. */
async function replyWrite(platform: FakePlatform, request: Request, kind: 'create' | 'delete'): Promise<Reply> {
  if (request.headers.get('authorization') !== `Bearer ${ACCESS_JWT}`) return [401, xrpcError('AuthenticationRequired', 'Authentication Required'), JSON_TYPE];
  const input = (await request.json().catch(() => ({}))) as Record<string, any>;
  if (input.repo !== WATCHER_DID || input.collection !== 'app.bsky.feed.post') return [400, xrpcError('InvalidRequest', 'Invalid repo or collection'), JSON_TYPE];
  const fakeId = kind === 'create' ? fakeIdOfPost(input.record?.reply?.parent?.uri) : /^3mreplyto(\d+)$/.exec(String(input.rkey))?.[1];
  const written = writeReply(platform, fakeId ?? '', kind === 'create' ? String(input.record?.text ?? '') : null);
  if (written === 'not_found') return [400, xrpcError('InvalidRequest', 'Could not find the record replied to'), JSON_TYPE];
  if ('failure' in written) return failureReply(written.failure);
  const commit = { cid: 'bafyreisyntheticcommit', rev: '3mcontractrev' };
  if (kind === 'delete') return [200, JSON.stringify({ commit }), JSON_TYPE];
  return [200, JSON.stringify({ uri: replyUri(fakeId!), cid: `bafyreisyntheticreplyto${fakeId}`, commit, validationStatus: 'valid' }), JSON_TYPE];
}

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
  // Bluesky publishes a post at once; there is no moderation state.
  reply: { states: ['published'] },
  serve(platform) {
    const json = JSON_TYPE;
    nock(ORIGIN)
      .persist()
      .post('/xrpc/com.atproto.server.createSession')
      // nock 15 hands reply functions the fetch Request, and waits for an async one.
      .reply(async (request: Request): Promise<[number, string, Record<string, string>]> => {
        const input = (await request.json().catch(() => ({}))) as Record<string, unknown>;
        if (input.identifier !== IDENTIFIER || input.password !== APP_PASSWORD) {
          return [401, xrpcError('AuthenticationRequired', 'Invalid identifier or password'), json];
        }
        const session = { did: WATCHER_DID, handle: IDENTIFIER, accessJwt: ACCESS_JWT, refreshJwt: 'synthetic-contract-refresh-jwt', active: true };
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
    // The reply part: reads on the AppView (the sandbox baseUrl answers them too), writes on the PDS.
    nock(ORIGIN)
      .persist()
      .get('/xrpc/com.atproto.identity.resolveHandle')
      .query({ handle: IDENTIFIER })
      .reply(200, { did: WATCHER_DID }, json);
    nock(ORIGIN)
      .persist()
      .get('/xrpc/app.bsky.feed.getPostThread')
      .query(true)
      .reply((request: Request): Reply => postThread(platform, new URL(request.url).searchParams.get('uri')));
    nock(ORIGIN)
      .persist()
      .post('/xrpc/com.atproto.repo.createRecord')
      .reply((request: Request) => replyWrite(platform, request, 'create'));
    nock(ORIGIN)
      .persist()
      .post('/xrpc/com.atproto.repo.deleteRecord')
      .reply((request: Request) => replyWrite(platform, request, 'delete'));
  },
};
