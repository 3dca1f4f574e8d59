import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SEED_POSTS } from './sandbox-content.ts';
import { readBody, sendJson } from './sandbox-http.ts';

/**
 * A stand-in for a Bluesky PDS: createSession with an app password, and
 * searchPosts with the real parameters (q, sort, since, until, limit, cursor),
 * PostView shape, rate-limit headers and XRPC errors. Its matching is loose on
 * purpose, as the real search is: every word of `q` may be a word's prefix.
 */

export const SANDBOX_BLUESKY_IDENTIFIER = 'demo.bsky.social';
export const SANDBOX_BLUESKY_APP_PASSWORD = 'demo-demo-demo-demo';

const RATE_LIMIT = 3000;
const RATE_WINDOW_SECONDS = 300;
const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

interface StoredPost {
  rkey: string;
  did: string;
  handle: string;
  displayName: string;
  text: string;
  createdAt: Date;
  indexedAt: Date;
}

export interface BlueskySandbox {
  addPost(post: { text: string; author: string }): void;
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
  const sessions = new Set<string>();
  const posts: StoredPost[] = [];

  function store(text: string, author: string, at: Date): void {
    posts.push({ rkey: tid(at, posts.length), did: didFor(author), handle: handleFor(author), displayName: author, text, createdAt: at, indexedAt: at });
  }
  for (const seed of SEED_POSTS) store(seed.text, seed.author, new Date(started - seed.hoursAgo * 3_600_000));

  function postView(post: StoredPost) {
    return {
      uri: `at://${post.did}/app.bsky.feed.post/${post.rkey}`,
      cid: `bafyrei${base32Digest(`${post.did}/${post.rkey}`, 32)}`,
      author: { did: post.did, handle: post.handle, displayName: post.displayName, labels: [] },
      record: { $type: 'app.bsky.feed.post', text: post.text, langs: ['en'], createdAt: post.createdAt.toISOString() },
      replyCount: 0,
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
    sessions.add(accessJwt);
    sendJson(res, 200, { did: didFor(identifier), handle: identifier, accessJwt, refreshJwt: randomBytes(24).toString('base64url'), active: true });
  }

  function searchPosts(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !sessions.has(token)) return xrpcError(res, 401, 'AuthenticationRequired', 'Authentication Required');
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

  return {
    addPost(post) {
      store(post.text, post.author, now());
    },
    async handle(req, res, url) {
      if (!url.pathname.startsWith('/xrpc/')) return false;
      const method = url.pathname.slice('/xrpc/'.length);
      if (method === 'com.atproto.server.createSession' && req.method === 'POST') await createSession(req, res);
      else if (method === 'app.bsky.feed.searchPosts' && req.method === 'GET') searchPosts(req, res, url);
      else xrpcError(res, 501, 'MethodNotImplemented', 'Method Not Implemented');
      return true;
    },
  };
}
