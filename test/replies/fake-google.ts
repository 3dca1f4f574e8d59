import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import token from '../fixtures/google-business/token.json' with { type: 'json' };

/**
 * Google Business Profile on loopback, for a worker in another process (nock reaches only
 * this one): token refreshes, a review lookup showing the reply it holds, and
 * `PUT …/reply` counted. While `holdLookups` is set, lookups are never answered, so a
 * test can kill the worker after its claim and before its PUT.
 */
export interface FakeGoogle {
  baseUrl: string;
  puts: string[];
  lookups: number;
  holdLookups: boolean;
  stop(): Promise<void>;
}

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const sockets = new Set<Socket>();
  let reply: { comment: string; updateTime: string } | null = null;
  const fake: FakeGoogle = {
    baseUrl: '',
    puts: [],
    lookups: 0,
    holdLookups: false,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const json = (response: http.ServerResponse, body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = request.url ?? '';
      if (request.method === 'POST' && url === '/token') return json(response, token);
      const review = /^\/v4\/accounts\/[^/]+\/locations\/[^/]+\/reviews\/([^/]+)(\/reply)?$/.exec(url);
      if (review && request.method === 'GET' && review[2] === undefined) {
        fake.lookups++;
        if (fake.holdLookups) return;
        return json(response, { reviewId: review[1], starRating: 'ONE', comment: 'Cold soup.', createTime: '2026-03-01T10:00:00Z', ...(reply && { reviewReply: reply }) });
      }
      if (review && request.method === 'PUT' && review[2] === '/reply') {
        const comment = (JSON.parse(body) as { comment: string }).comment;
        fake.puts.push(comment);
        reply = { comment, updateTime: new Date().toISOString() };
        return json(response, reply);
      }
      response.writeHead(404).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
