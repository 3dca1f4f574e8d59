import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback Bluesky for stream tests, speaking the real protocols on one port:
 * - Jetstream: `GET /subscribe?wantedCollections=app.bsky.feed.post[&cursor=<time_us>]`
 *   upgraded to a WebSocket of JSON events; with a cursor, the events it still holds from
 *   that time on are replayed first, then new ones follow as they are published.
 * - the PDS/AppView the search poll uses: createSession, and searchPosts over the same
 *   posts (matching loosely, as the real search does; the connector checks the words).
 * The `ws` package is used here only, as the server side of the WebSocket.
 */

export interface FakePost {
  did: string;
  rkey: string;
  text: string;
  createdAt: string;
  timeUs: number;
}

export interface JetstreamConnection {
  /** The `cursor` asked for, or null for "from now". */
  cursor: number | null;
  wantedCollections: string | null;
  at: number;
}

export interface FakeBluesky {
  /** http://127.0.0.1:port: the search poll's baseUrl. */
  url: string;
  /** ws://127.0.0.1:port: BLUESKY_JETSTREAM_URL. */
  jetstreamUrl: string;
  connections: JetstreamConnection[];
  /** How many Jetstream clients are connected now, and the most ever at once. */
  openNow(): number;
  maxOpen(): number;
  /** Publishes a new post to connected clients (and keeps it for replays); returns it. */
  post(text: string, options?: { did?: string; live?: boolean }): FakePost;
  /** Publishes a deletion of `post`. */
  deletePost(post: FakePost): void;
  /** Events that are no posts: other collections and identity changes. */
  noise(count: number): void;
  /** Cuts every client off, without a closing handshake (a network drop). */
  dropConnections(): void;
  /**
   * While held, a new connection is accepted but sent nothing (not even its replay)
   * until `release()`: so a test can read what the client committed before it reconnected.
   */
  hold(): void;
  release(): void;
  /** The at:// uri the search poll and the stream both give `post`. */
  uriOf(post: FakePost): string;
  stop(): Promise<void>;
}

const ACCESS_JWT = 'fake-access-jwt';

export async function startFakeBluesky(): Promise<FakeBluesky> {
  const history: Array<{ timeUs: number; json: string }> = [];
  const posts: FakePost[] = [];
  const connections: JetstreamConnection[] = [];
  /** Every Jetstream socket open now; `clients` are the ones past their replay, sent new events. */
  const sockets = new Set<WebSocket>();
  const clients = new Set<WebSocket>();
  let maxOpen = 0;
  let holding = false;
  const held: Array<() => void> = [];
  let lastTimeUs = 0;
  let sequence = 0;

  // Strictly increasing, as Jetstream's time_us in practice is.
  const nextTimeUs = () => (lastTimeUs = Math.max(lastTimeUs + 1, Date.now() * 1000));
  const uriOf = (post: FakePost) => `at://${post.did}/app.bsky.feed.post/${post.rkey}`;

  function publish(event: Record<string, unknown> & { time_us: number }, live = true): void {
    const json = JSON.stringify(event);
    history.push({ timeUs: event.time_us, json });
    if (live) for (const client of clients) client.send(json);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/xrpc/com.atproto.server.createSession') {
      req.resume();
      return send(200, { accessJwt: ACCESS_JWT, refreshJwt: 'fake-refresh-jwt', did: 'did:plc:fakewatcher', handle: 'watcher.test' });
    }
    if (req.method === 'GET' && url.pathname === '/xrpc/app.bsky.feed.searchPosts') {
      if (req.headers.authorization !== `Bearer ${ACCESS_JWT}`) return send(401, { error: 'AuthenticationRequired', message: 'sign in' });
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const found = posts.filter((post) => words.every((word) => post.text.toLowerCase().includes(word))).reverse();
      return send(200, {
        posts: found.map((post) => ({
          uri: uriOf(post),
          cid: `bafyrei${post.rkey}`,
          author: { did: post.did, handle: `${post.did.slice(-6)}.bsky.social`, displayName: `Poster ${post.did.slice(-6)}` },
          record: { $type: 'app.bsky.feed.post', text: post.text, createdAt: post.createdAt, langs: ['en'] },
          indexedAt: new Date(post.timeUs / 1000).toISOString(),
        })),
      });
    }
    send(404, { error: 'NotFound', message: `${req.method} ${url.pathname}` });
  });

  const jetstream = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/subscribe') return socket.destroy();
    jetstream.handleUpgrade(req, socket, head, (client) => {
      const cursorParam = url.searchParams.get('cursor');
      const cursor = cursorParam === null ? null : Number(cursorParam);
      connections.push({ cursor, wantedCollections: url.searchParams.get('wantedCollections'), at: Date.now() });
      const start = () => {
        if (client.readyState !== client.OPEN) return;
        if (cursor !== null) for (const event of history) if (event.timeUs >= cursor) client.send(event.json);
        clients.add(client);
      };
      sockets.add(client);
      maxOpen = Math.max(maxOpen, sockets.size);
      const forget = () => {
        sockets.delete(client);
        clients.delete(client);
      };
      client.on('close', forget);
      client.on('error', forget);
      if (holding) held.push(start);
      else start();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    jetstreamUrl: `ws://127.0.0.1:${port}`,
    connections,
    openNow: () => sockets.size,
    maxOpen: () => maxOpen,
    post(text, options = {}) {
      const timeUs = nextTimeUs();
      const post: FakePost = { did: options.did ?? 'did:plc:fakeposter000000000000001', rkey: `3mk${(sequence++).toString(36).padStart(6, '2')}`, text, createdAt: new Date(timeUs / 1000).toISOString(), timeUs };
      posts.push(post);
      publish(
        {
          did: post.did,
          time_us: timeUs,
          kind: 'commit',
          commit: { rev: `rev${post.rkey}`, operation: 'create', collection: 'app.bsky.feed.post', rkey: post.rkey, record: { $type: 'app.bsky.feed.post', text, createdAt: post.createdAt, langs: ['en'] }, cid: `bafyrei${post.rkey}` },
        },
        options.live ?? true,
      );
      return post;
    },
    deletePost(post) {
      posts.splice(posts.indexOf(post), 1);
      publish({ did: post.did, time_us: nextTimeUs(), kind: 'commit', commit: { rev: `del${post.rkey}`, operation: 'delete', collection: 'app.bsky.feed.post', rkey: post.rkey } });
    },
    noise(count) {
      for (let n = 0; n < count; n++) {
        const did = `did:plc:noise${n}`;
        if (n % 2 === 0) publish({ did, time_us: nextTimeUs(), kind: 'commit', commit: { rev: `r${n}`, operation: 'create', collection: 'app.bsky.feed.like', rkey: `l${n}`, record: {}, cid: `c${n}` } });
        else publish({ did, time_us: nextTimeUs(), kind: 'identity', identity: { did, handle: `noise${n}.bsky.social`, seq: n, time: new Date().toISOString() } });
      }
    },
    dropConnections() {
      for (const socket of sockets) socket.terminate();
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const start of held.splice(0)) start();
    },
    uriOf,
    async stop() {
      for (const socket of sockets) socket.terminate();
      jetstream.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
