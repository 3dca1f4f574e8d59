import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback Mastodon instance for stream tests, speaking the real protocols:
 * - streaming, on a port of its own as large instances run it (announced as
 *   `configuration.urls.streaming` by `GET /api/v2/instance`; the web port refuses to
 *   upgrade): `GET /api/v1/streaming` upgraded to a WebSocket; the client sends
 *   `{"type":"subscribe","stream":"hashtag","tag":…}` or `{"type":"subscribe","stream":"public"}`
 *   and receives `{stream, event: update | status.update | delete, payload}` with the
 *   payload a JSON string (a Status, or the deleted status's id), once per subscription
 *   it matches, as Mastodon does. No replay: what is posted while no one listens is gone
 *   from the stream.
 * - the REST API the poll reads: hashtag timelines (min_id / max_id) and status search
 *   (matching loosely, as the real search does; the connector checks the words), and
 *   verify_credentials, which takes any token.
 * The `ws` package is used here only, as the server side of the WebSocket.
 */

export interface FakeStatus extends Record<string, unknown> {
  id: string;
  uri: string;
  content: string;
  created_at: string;
  edited_at: string | null;
  tags: Array<{ name: string; url: string }>;
}

export interface StreamingConnection {
  at: number;
  /** The upgrade request's Authorization header, if any. */
  authorization: string | null;
  /** What the client subscribed to, in order: `hashtag:<tag>` or `public`. */
  subscriptions: string[];
}

export interface FakeMastodon {
  /** http://127.0.0.1:port: the source's instanceUrl. */
  url: string;
  connections: StreamingConnection[];
  /** How many streaming clients are connected now, and the most ever at once. */
  openNow(): number;
  maxOpen(): number;
  /** Posts a status (with #hashtags as Mastodon files them); sent live to every matching subscription. */
  post(text: string, options?: { hashtags?: string[] }): FakeStatus;
  /** Every status still there, oldest first. */
  statuses(): FakeStatus[];
  edit(status: FakeStatus, text: string): void;
  deleteStatus(status: FakeStatus): void;
  /** Cuts every client off, without a closing handshake (a network drop). */
  dropConnections(): void;
  /** Requests the REST API answered, by path. */
  requests: string[];
  stop(): Promise<void>;
}

let nextId = 113_000_000_000_000_000n;

export async function startFakeMastodon(host = 'fake.mastodon.test'): Promise<FakeMastodon> {
  const statuses: FakeStatus[] = [];
  const connections: StreamingConnection[] = [];
  const sockets = new Map<WebSocket, Set<string>>();
  const requests: string[] = [];
  let maxOpen = 0;

  const html = (text: string, hashtags: string[]) =>
    `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}${hashtags.map((tag) => ` <a href="https://${host}/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`).join('')}</p>`;

  function send(status: FakeStatus, event: string, payload: string): void {
    const tags = status.tags.map((tag) => tag.name);
    for (const [socket, subscribed] of sockets) {
      for (const tag of tags) if (subscribed.has(`hashtag:${tag}`)) socket.send(JSON.stringify({ stream: ['hashtag', tag], event, payload }));
      if (subscribed.has('public')) socket.send(JSON.stringify({ stream: ['public'], event, payload }));
    }
  }

  const newestFirst = () => [...statuses].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const tag = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && tag !== undefined) {
      const name = decodeURIComponent(tag).toLowerCase();
      const minId = url.searchParams.get('min_id');
      const maxId = url.searchParams.get('max_id');
      const limit = Number(url.searchParams.get('limit') ?? 20);
      let found = newestFirst().filter((status) => status.tags.some((t) => t.name === name));
      if (maxId !== null) found = found.filter((status) => BigInt(status.id) < BigInt(maxId));
      // min_id: the page right after it (the oldest newer ones), still newest first.
      if (minId !== null) found = found.filter((status) => BigInt(status.id) > BigInt(minId)).slice(-limit);
      return send(200, found.slice(0, limit));
    }
    if (req.method === 'GET' && url.pathname === '/api/v2/instance') {
      return send(200, { domain: host, title: 'Fake Mastodon', version: '4.3.0', configuration: { urls: { streaming: streamingUrl } } });
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
      if (req.headers.authorization === undefined) return send(401, { error: 'The access token is invalid' });
      return send(200, { id: '1', username: 'watcher', acct: 'watcher' });
    }
    if (req.method === 'GET' && url.pathname === '/api/v2/search') {
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      return send(200, { accounts: [], hashtags: [], statuses: newestFirst().filter((status) => words.every((word) => status.content.toLowerCase().includes(word))) });
    }
    send(404, { error: `${req.method} ${url.pathname}` });
  });

  const streaming = new WebSocketServer({ noServer: true });
  // The web port does not stream (a real one redirects, which a WebSocket does not follow).
  server.on('upgrade', (_req, socket) => socket.destroy());
  const streamingServer = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  streamingServer.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/v1/streaming') return socket.destroy();
    streaming.handleUpgrade(req, socket, head, (client) => {
      const connection: StreamingConnection = { at: Date.now(), authorization: req.headers.authorization ?? null, subscriptions: [] };
      connections.push(connection);
      const subscribed = new Set<string>();
      sockets.set(client, subscribed);
      maxOpen = Math.max(maxOpen, sockets.size);
      client.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type?: string; stream?: string; tag?: string };
        if (message.type !== 'subscribe') return;
        const name = message.stream === 'hashtag' ? `hashtag:${String(message.tag).toLowerCase()}` : String(message.stream);
        subscribed.add(name);
        connection.subscriptions.push(name);
      });
      const forget = () => sockets.delete(client);
      client.on('close', forget);
      client.on('error', forget);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => streamingServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const streamingUrl = `ws://127.0.0.1:${(streamingServer.address() as AddressInfo).port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    openNow: () => sockets.size,
    maxOpen: () => maxOpen,
    requests,
    post(text, options = {}) {
      const id = String(nextId++);
      const hashtags = (options.hashtags ?? []).map((tag) => tag.toLowerCase());
      const status: FakeStatus = {
        id,
        uri: `https://${host}/users/poster/statuses/${id}`,
        url: `https://${host}/@poster/${id}`,
        created_at: new Date().toISOString(),
        edited_at: null,
        visibility: 'public',
        language: 'en',
        spoiler_text: '',
        content: html(text, hashtags),
        reblog: null,
        account: { id: '77', username: 'poster', acct: 'poster', display_name: 'Pat Poster', url: `https://${host}/@poster` },
        tags: hashtags.map((name) => ({ name, url: `https://${host}/tags/${name}` })),
      };
      statuses.push(status);
      send(status, 'update', JSON.stringify(status));
      return status;
    },
    statuses: () => [...statuses],
    edit(status, text) {
      status.content = html(text, status.tags.map((tag) => tag.name));
      status.edited_at = new Date().toISOString();
      send(status, 'status.update', JSON.stringify(status));
    },
    deleteStatus(status) {
      statuses.splice(statuses.indexOf(status), 1);
      send(status, 'delete', status.id);
    },
    dropConnections() {
      for (const socket of sockets.keys()) socket.terminate();
    },
    async stop() {
      for (const socket of sockets.keys()) socket.terminate();
      streaming.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => streamingServer.close(() => resolve()));
    },
  };
}
