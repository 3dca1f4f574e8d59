import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SEED_POSTS } from './sandbox-content.ts';
import { readBody, sendJson } from './sandbox-http.ts';

/**
 * A stand-in for a Bluesky PDS and AppView: createSession with an app password, and
 * searchPosts with the real parameters (q, sort, since, until, limit, cursor),
 * PostView shape, rate-limit headers and XRPC errors. Its matching is loose on
 * purpose, as the real search is: every word of `q` may be a word's prefix.
 * It takes replies as Bluesky does: resolveHandle, getPosts and getPostThread (public
 * reads), createRecord of an app.bsky.feed.post with `reply: {root, parent}`, and
 * deleteRecord, both as the signed-in account.
 */

export const SANDBOX_BLUESKY_IDENTIFIER = 'demo.bsky.social';
export const SANDBOX_BLUESKY_APP_PASSWORD = 'demo-demo-demo-demo';

const RATE_LIMIT = 3000;
const RATE_WINDOW_SECONDS = 300;
const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const POST_COLLECTION = 'app.bsky.feed.post';
// app.bsky.feed.post's text limit.
const MAX_GRAPHEMES = 300;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface StrongRef {
  uri: string;
  cid: string;
}

interface StoredPost {
  rkey: string;
  did: string;
  handle: string;
  displayName: string;
  text: string;
  createdAt: Date;
  indexedAt: Date;
  reply: { root: StrongRef; parent: StrongRef } | null;
}

/** A reply the sandbox was asked to write, in the order received. */
export interface ReceivedPostReply {
  parentUri: string;
  method: 'createRecord' | 'deleteRecord';
  text: string | null;
}

export interface BlueskySandbox {
  addPost(post: { text: string; author: string }): void;
  /** The at:// uri of the first post by this author, for tests that reply to it. */
  postUriOf(author: string): string | undefined;
  received: readonly ReceivedPostReply[];
  /** Answers the request if it is for this platform; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

function xrpcError(res: ServerResponse, status: number, error: string, message: string): void {
  sendJson(res, status, { error, message });
}

/** A record key in the real format: microseconds since 1970 in sortable base32. */
function tid(at: Date, sequence: number): string {
  let value = BigInt(at.getTime()) * 1000n + BigInt(sequence % 1000);
  value = (value << 10n) | BigInt(sequence % 1024);
  let text = '';
  for (let i = 0; i < 13; i++) {
    text = TID_ALPHABET[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return text;
}

/** Stable lowercase base32, the alphabet of DIDs and CIDs. */
function base32Digest(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  return Array.from(digest.subarray(0, length), (byte) => TID_ALPHABET[byte % 32]).join('');
}

function didFor(name: string): string {
  return `did:plc:${base32Digest(name, 24)}`;
}

function handleFor(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.bsky.social`;
}

function uriOf(post: StoredPost): string {
  return `at://${post.did}/${POST_COLLECTION}/${post.rkey}`;
}

function cidOf(post: StoredPost): string {
  return `bafyrei${base32Digest(`${post.did}/${post.rkey}`, 32)}`;
}

function strongRef(value: unknown): StrongRef | null {
  if (typeof value !== 'object' || value === null) return null;
  const { uri, cid } = value as Record<string, unknown>;
  return typeof uri === 'string' && typeof cid === 'string' ? { uri, cid } : null;
}

function looselyMatches(text: string, query: string): boolean {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((queryWord) => words.some((word) => word.startsWith(queryWord)));
}

export function createBlueskySandbox(options: { now: () => Date }): BlueskySandbox {
  const { now } = options;
  const started = now().getTime();
  /** Signed-in sessions: access token → the account's DID. */
  const sessions = new Map<string, string>();
  const posts: StoredPost[] = [];
  const received: ReceivedPostReply[] = [];

  function store(text: string, author: string, at: Date): void {
    posts.push({ rkey: tid(at, posts.length), did: didFor(author), handle: handleFor(author), displayName: author, text, createdAt: at, indexedAt: at, reply: null });
  }
  for (const seed of SEED_POSTS) store(seed.text, seed.author, new Date(started - seed.hoursAgo * 3_600_000));

  const findPost = (uri: string) => posts.find((post) => uriOf(post) === uri);
  const repliesTo = (post: StoredPost) => posts.filter((candidate) => candidate.reply?.parent.uri === uriOf(post));

  function postView(post: StoredPost) {
    const reply = post.reply === null ? {} : { reply: post.reply };
    return {
      uri: uriOf(post),
      cid: cidOf(post),
      author: { did: post.did, handle: post.handle, displayName: post.displayName, labels: [] },
      record: { $type: POST_COLLECTION, text: post.text, langs: ['en'], ...reply, createdAt: post.createdAt.toISOString() },
      replyCount: repliesTo(post).length,
      repostCount: 0,
      likeCount: 0,
      quoteCount: 0,
      indexedAt: post.indexedAt.toISOString(),
      labels: [],
    };
  }

  async function createSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let input: unknown;
    try {
      input = JSON.parse(await readBody(req));
    } catch {
      return xrpcError(res, 400, 'InvalidRequest', 'Request body must be JSON');
    }
    const { identifier, password } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    if (typeof identifier !== 'string') return xrpcError(res, 400, 'InvalidRequest', 'Input must have the property "identifier"');
    if (typeof password !== 'string') return xrpcError(res, 400, 'InvalidRequest', 'Input must have the property "password"');
    if (identifier !== SANDBOX_BLUESKY_IDENTIFIER || password !== SANDBOX_BLUESKY_APP_PASSWORD) {
      return xrpcError(res, 401, 'AuthenticationRequired', 'Invalid identifier or password');
    }
    const accessJwt = randomBytes(24).toString('base64url');
    sessions.set(accessJwt, didFor(identifier));
    sendJson(res, 200, { did: didFor(identifier), handle: identifier, accessJwt, refreshJwt: randomBytes(24).toString('base64url'), active: true });
  }

  /** The signed-in account's DID, or undefined (then 401 has been answered). */
  function signedIn(req: IncomingMessage, res: ServerResponse): string | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const did = token === undefined ? undefined : sessions.get(token);
    if (did === undefined) xrpcError(res, 401, 'AuthenticationRequired', 'Authentication Required');
    return did;
  }

  function searchPosts(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (signedIn(req, res) === undefined) return;
    const params = url.searchParams;
    const q = params.get('q');
    if (q === null || q.trim() === '') return xrpcError(res, 400, 'InvalidRequest', 'Error: Params must have the property "q"');
    const limit = Number(params.get('limit') ?? 25);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return xrpcError(res, 400, 'InvalidRequest', 'Error: limit must be between 1 and 100');
    const since = params.get('since');
    const until = params.get('until');
    const offset = Number(params.get('cursor') ?? 0);
    const hits = posts
      .filter((post) => looselyMatches(post.text, q))
      .filter((post) => since === null || post.indexedAt.getTime() >= Date.parse(since))
      .filter((post) => until === null || post.indexedAt.getTime() < Date.parse(until))
      .sort((a, b) => b.indexedAt.getTime() - a.indexedAt.getTime());
    const page = hits.slice(offset, offset + limit);
    const next = offset + limit < hits.length ? String(offset + limit) : undefined;
    sendJson(res, 200, { ...(next === undefined ? {} : { cursor: next }), hitsTotal: hits.length, posts: page.map(postView) }, {
      'RateLimit-Limit': String(RATE_LIMIT),
      'RateLimit-Remaining': String(RATE_LIMIT - 1),
      'RateLimit-Reset': String(Math.ceil(now().getTime() / 1000) + RATE_WINDOW_SECONDS),
      'RateLimit-Policy': `${RATE_LIMIT};w=${RATE_WINDOW_SECONDS}`,
    });
  }

  function resolveHandle(res: ServerResponse, url: URL): void {
    const handle = url.searchParams.get('handle');
    if (handle === null) return xrpcError(res, 400, 'InvalidRequest', 'Error: Params must have the property "handle"');
    const did = handle === SANDBOX_BLUESKY_IDENTIFIER ? didFor(SANDBOX_BLUESKY_IDENTIFIER) : posts.find((post) => post.handle === handle)?.did;
    if (did === undefined) return xrpcError(res, 400, 'InvalidRequest', 'Unable to resolve handle');
    sendJson(res, 200, { did });
  }

  function getPosts(res: ServerResponse, url: URL): void {
    const uris = url.searchParams.getAll('uris');
    if (uris.length > 25) return xrpcError(res, 400, 'InvalidRequest', 'Error: uris must not have more than 25 elements');
    // Like the AppView, posts it cannot show are left out without a word.
    sendJson(res, 200, { posts: uris.map(findPost).filter((post) => post !== undefined).map(postView) });
  }

  function threadView(post: StoredPost, depth: number): object {
    const replies = depth > 0 ? repliesTo(post).map((reply) => threadView(reply, depth - 1)) : undefined;
    return { $type: 'app.bsky.feed.defs#threadViewPost', post: postView(post), ...(replies === undefined ? {} : { replies }) };
  }

  function getPostThread(res: ServerResponse, url: URL): void {
    const uri = url.searchParams.get('uri');
    if (uri === null) return xrpcError(res, 400, 'InvalidRequest', 'Error: Params must have the property "uri"');
    const post = findPost(uri);
    if (post === undefined) return xrpcError(res, 400, 'NotFound', `Post not found: ${uri}`);
    const depth = Math.min(Number(url.searchParams.get('depth') ?? 6), 1000);
    sendJson(res, 200, { thread: threadView(post, Number.isInteger(depth) && depth >= 0 ? depth : 6) });
  }

  /** The JSON body of a write, or undefined (then 400 has been answered). */
  async function writeInput(req: IncomingMessage, res: ServerResponse, did: string): Promise<Record<string, unknown> | undefined> {
    let input: unknown;
    try {
      input = JSON.parse(await readBody(req));
    } catch {
      xrpcError(res, 400, 'InvalidRequest', 'Request body must be JSON');
      return undefined;
    }
    const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    if (body.repo !== did && body.repo !== SANDBOX_BLUESKY_IDENTIFIER) {
      xrpcError(res, 400, 'InvalidRequest', 'Input/repo must be the signed-in account');
      return undefined;
    }
    if (body.collection !== POST_COLLECTION) {
      xrpcError(res, 400, 'InvalidRequest', `This sandbox only writes ${POST_COLLECTION} records`);
      return undefined;
    }
    return body;
  }

  function commit(): { cid: string; rev: string } {
    return { cid: `bafyrei${base32Digest(randomBytes(8).toString('hex'), 32)}`, rev: tid(now(), posts.length) };
  }

  async function createRecord(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const did = signedIn(req, res);
    if (did === undefined) return;
    const input = await writeInput(req, res, did);
    if (input === undefined) return;
    const record = (typeof input.record === 'object' && input.record !== null ? input.record : {}) as Record<string, unknown>;
    if (typeof record.text !== 'string') return xrpcError(res, 400, 'InvalidRecord', 'Invalid app.bsky.feed.post record: Record must have the property "text"');
    if ([...graphemes.segment(record.text)].length > MAX_GRAPHEMES) {
      return xrpcError(res, 400, 'InvalidRecord', `Invalid app.bsky.feed.post record: Record/text must not be longer than ${MAX_GRAPHEMES} graphemes`);
    }
    const refs = (typeof record.reply === 'object' && record.reply !== null ? record.reply : {}) as Record<string, unknown>;
    const parent = strongRef(refs.parent);
    const root = strongRef(refs.root);
    // The sandbox holds posts to reply to, not an account's own timeline.
    if (parent === null || root === null) return xrpcError(res, 400, 'InvalidRecord', 'This sandbox only takes replies: Record/reply must have "root" and "parent"');
    const answered = findPost(parent.uri);
    if (answered === undefined || cidOf(answered) !== parent.cid) return xrpcError(res, 400, 'InvalidRequest', `Could not find the post replied to: ${parent.uri}`);
    const at = now();
    const createdAt = typeof record.createdAt === 'string' && !Number.isNaN(Date.parse(record.createdAt)) ? new Date(record.createdAt) : at;
    const post: StoredPost = { rkey: tid(at, posts.length), did, handle: SANDBOX_BLUESKY_IDENTIFIER, displayName: 'Demo Bistro', text: record.text, createdAt, indexedAt: at, reply: { root, parent } };
    posts.push(post);
    received.push({ parentUri: parent.uri, method: 'createRecord', text: record.text });
    sendJson(res, 200, { uri: uriOf(post), cid: cidOf(post), commit: commit(), validationStatus: 'valid' });
  }

  async function deleteRecord(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const did = signedIn(req, res);
    if (did === undefined) return;
    const input = await writeInput(req, res, did);
    if (input === undefined) return;
    const index = posts.findIndex((post) => post.did === did && post.rkey === input.rkey);
    // Deleting a record that is not there succeeds, as on a PDS.
    const [deleted] = index >= 0 ? posts.splice(index, 1) : [];
    if (deleted?.reply) received.push({ parentUri: deleted.reply.parent.uri, method: 'deleteRecord', text: null });
    sendJson(res, 200, { commit: commit() });
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>> = {
    'POST com.atproto.server.createSession': createSession,
    'GET app.bsky.feed.searchPosts': searchPosts,
    'GET com.atproto.identity.resolveHandle': (_req, res, url) => resolveHandle(res, url),
    'GET app.bsky.feed.getPosts': (_req, res, url) => getPosts(res, url),
    'GET app.bsky.feed.getPostThread': (_req, res, url) => getPostThread(res, url),
    'POST com.atproto.repo.createRecord': createRecord,
    'POST com.atproto.repo.deleteRecord': deleteRecord,
  };

  return {
    addPost(post) {
      store(post.text, post.author, now());
    },
    postUriOf(author) {
      const post = posts.find((candidate) => candidate.displayName === author);
      return post === undefined ? undefined : uriOf(post);
    },
    received,
    async handle(req, res, url) {
      if (!url.pathname.startsWith('/xrpc/')) return false;
      const route = routes[`${req.method ?? ''} ${url.pathname.slice('/xrpc/'.length)}`];
      if (route === undefined) xrpcError(res, 501, 'MethodNotImplemented', 'Method Not Implemented');
      else await route(req, res, url);
      return true;
    },
  };
}
