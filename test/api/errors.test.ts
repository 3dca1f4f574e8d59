import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { signWebhook } from '../../connectors/webhook/signature.ts';
import { createDb } from '../../db/database.ts';
import { buildApp } from '../../services/api/app.ts';
import { createApiHarness, insertItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

/** A pino logger whose lines end up in `lines`. */
function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  return { logger: pino({ level: 'error' }, stream), lines };
}

describe('internal errors', () => {
  test('answer 500 with a request id and nothing about the cause, which goes to the log', async () => {
    const brokenDb = createDb(h.testDb.url, { maxConnections: 1 });
    // Used once so its pool exists, then ended: every later query fails inside the driver.
    await sql`SELECT 1`.execute(brokenDb);
    await brokenDb.destroy();
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ db: brokenDb, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, logger });
    try {
      const response = await app.inject({ method: 'GET', url: '/v1/businesses', headers: { authorization: `Bearer ${h.tenant.key}` } });
      expect(response.statusCode).toBe(500);
      const body = response.json();
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error)).toEqual(['code', 'message']);
      expect(body.error.code).toBe('internal');
      const requestId = response.headers['x-request-id'];
      expect(body.error.message).toContain(String(requestId));
      expect(response.body).not.toMatch(/select|api_keys|destroy|driver|\.ts:|\bat /i);
      expect(lines.some((line) => line.msg === 'request failed' && JSON.stringify(line.err).includes('destroy'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('malformed requests', () => {
  test('unparsable JSON is a 400', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/v1/businesses',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('malformed_request');
  });

  test('a body that is not JSON is a 415', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/v1/businesses',
      headers: { 'content-type': 'application/xml' },
      payload: '<business/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  test('an unknown route is a 404 in the same shape', async () => {
    const response = await h.call({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /v1/nothing-here' } });
  });
});

/** The documented error shape, and no more than 200 characters of the request quoted back. */
function expectErrorShape(response: { statusCode: number; body: string; json(): unknown }, status: number, code: string): { message: string; field?: string } {
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: { code: string; message: string; field?: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).filter((key) => !['code', 'message', 'field'].includes(key))).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(response.body).not.toMatch(/x{201}|%ff/i);
  return body.error;
}

const business = () => `/v1/businesses/${h.tenant.businessId}`;

describe('text PostgreSQL cannot store is refused naming the field', () => {
  test.each([
    ['POST', '/v1/businesses', { name: 'Bistro\u0000', timezone: 'UTC' }, 'body.name'],
    ['PATCH', 'business', { alertEmails: ['a@example.com', 'b\u0000@example.com'] }, 'body.alertEmails[1]'],
    ['POST', '/v1/businesses', { name: 'Bistro \ud83d', timezone: 'UTC' }, 'body.name'],
    ['POST', '/v1/businesses', { name: 'Bistro', timezone: 'UTC', 'odd\u0000key': 1 }, 'body["odd\\u0000key"]'],
  ] as const)('%s %s %j', async (method, url, payload, field) => {
    const response = await h.call({ method, url: url === 'business' ? business() : url, payload });
    expect(expectErrorShape(response, 400, 'validation_failed').field).toBe(field);
  });

  test('in a query string and in a path', async () => {
    expect(expectErrorShape(await h.call({ method: 'GET', url: '/v1/items?q=a%00b' }), 400, 'validation_failed').field).toBe('query.q');
    expect(expectErrorShape(await h.call({ method: 'GET', url: '/v1/items/a%00b' }), 400, 'validation_failed').field).toBe('params.id');
  });
});

describe('bodies are taken as typed, query strings as text', () => {
  test.each([
    ['POST', '/v1/businesses', { name: 123, timezone: 'UTC', alertEmails: ['a@b.co'] }, 'body.name'],
    ['PATCH', 'business', { alertEmails: 'a@b.co' }, 'body.alertEmails'],
    ['PATCH', 'business', { slaHours: '8' }, 'body.slaHours'],
    ['PATCH', 'source', { paused: null }, 'body.paused'],
    ['PATCH', 'source', { pollEveryMinutes: true }, 'body.pollEveryMinutes'],
  ] as const)('%s %s %j is refused', async (method, url, payload, field) => {
    const target = url === 'business' ? business() : url === 'source' ? `/v1/sources/${h.tenant.sourceId}` : url;
    const response = await h.call({ method, url: target, payload });
    expect(expectErrorShape(response, 400, 'validation_failed').field).toBe(field);
  });

  test('nothing was changed by the refused requests', async () => {
    const source = (await h.call({ method: 'GET', url: `/v1/sources/${h.tenant.sourceId}` })).json();
    expect(source.pollEveryMinutes).toBe(15);
    const found = (await h.call({ method: 'GET', url: '/v1/businesses' })).json();
    expect(JSON.stringify(found)).not.toContain('"123"');
  });

  test('numbers and lists in a query string are still read from text', async () => {
    expect((await h.call({ method: 'GET', url: '/v1/items?limit=2&ratingMax=3&flagged=true' })).statusCode).toBe(200);
    expect((await h.call({ method: 'GET', url: `/v1/metrics/response-times?businessId=${h.tenant.businessId}` })).statusCode).toBe(200);
  });

  test('ids are plain UUIDs: urn:uuid is refused naming the field', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/items?businessId=urn:uuid:${h.tenant.businessId}` });
    expect(expectErrorShape(response, 400, 'validation_failed')).toMatchObject({ field: 'query.businessId', message: expect.stringContaining('UUID') });
  });

  test('a connector setting is bounded: a 900 KB place id is refused', async () => {
    const response = await h.call({
      method: 'POST',
      url: `${business()}/sources`,
      payload: { type: 'google_places', config: { placeId: 'x'.repeat(900_000) }, credentials: { apiKey: 'k' } },
    });
    expectErrorShape(response, 400, 'validation_failed');
    expect(response.json().error.message).toContain('at most 300 characters');
  });
});

describe('bodies are UTF-8 JSON, at most 32 levels deep', () => {
  const notUtf8 = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xff, 0xfe]), Buffer.from('B","timezone":"UTC"}')]);

  test.each(['application/json', 'application/json; charset=latin1', 'application/json; charset=utf-8'])(
    'bytes that are not UTF-8 are refused, whatever the charset says (%s)',
    async (contentType) => {
      const response = await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': contentType }, payload: notUtf8 });
      expect(expectErrorShape(response, 400, 'malformed_request').message).toContain('UTF-8');
      const names = (await h.call({ method: 'GET', url: '/v1/businesses' })).json().businesses.map((b: { name: string }) => b.name);
      expect(names.some((name: string) => name.includes('\ufffd'))).toBe(false);
    },
  );

  test('the webhook too, after checking the signature over the raw bytes', async () => {
    const created = await h.call({ method: 'POST', url: `${business()}/sources`, payload: { type: 'webhook', config: {}, credentials: { secret: 'whsec-errors-test-0123456789' } } });
    const sourceId = created.json().id;
    const timestamp = Math.floor(Date.now() / 1000);
    const body = Buffer.concat([Buffer.from('{"items":[{"id":"w","body":"A'), Buffer.from([0xff]), Buffer.from('"}]}')]);
    const send = (signature: string) =>
      h.app.inject({
        method: 'POST',
        url: `/v1/webhooks/${sourceId}`,
        headers: { 'content-type': 'application/json', 'x-earshot-timestamp': String(timestamp), 'x-earshot-signature': signature },
        payload: body,
      });
    expectErrorShape(await send(signWebhook('wrong secret', timestamp, body)), 401, 'unauthorized');
    expectErrorShape(await send(signWebhook('whsec-errors-test-0123456789', timestamp, body)), 400, 'malformed_request');
  });

  const nested = (depth: number) => `{"name":"Deep","timezone":"UTC","alertEmails":["a@b.co"],"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  test('33 levels is a 400 malformed_request; 32 reaches the schema', async () => {
    const deep = await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload: nested(33) });
    expect(expectErrorShape(deep, 400, 'malformed_request').message).toContain('32 levels');
    const allowed = await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload: nested(32) });
    expect(expectErrorShape(allowed, 400, 'validation_failed').field).toBe('body.x');
  });

  test('a very deep body is refused without a stack overflow', async () => {
    const payload = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expectErrorShape(await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload }), 400, 'malformed_request');
  });

  test('__proto__ in a body is refused', async () => {
    const payload = '{"name":"Proto","timezone":"UTC","__proto__":{"admin":true}}';
    expectErrorShape(await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload }), 400, 'malformed_request');
  });
});

describe("the framework's own errors use the same shape", () => {
  test('an over-long path parameter is a 414 quoting at most 200 characters', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/items/${'x'.repeat(5000)}` });
    expectErrorShape(response, 414, 'request_too_large');
    expect(response.body.length).toBeLessThan(400);
  });

  test('%ff in a path is a 400 malformed_request', async () => {
    expectErrorShape(await h.call({ method: 'GET', url: '/v1/items/%ff' }), 400, 'malformed_request');
  });

  test('an unknown long path is a 404 quoting at most 200 characters', async () => {
    const response = await h.call({ method: 'GET', url: `/v1/${'x'.repeat(5000)}` });
    expect(expectErrorShape(response, 404, 'not_found').message.length).toBeLessThan(230);
  });

  test('an unknown method is a 404', async () => {
    expectErrorShape(await h.call({ method: 'PUT', url: '/v1/items' }), 404, 'not_found');
  });

  test('a body over the limit is a 413', async () => {
    const payload = JSON.stringify({ name: 'x'.repeat(1_100_000), timezone: 'UTC' });
    expectErrorShape(await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload }), 413, 'payload_too_large');
  });

  test('a content type quoted back is not echoed whole', async () => {
    const response = await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': `application/${'x'.repeat(3000)}` }, payload: 'x' });
    expectErrorShape(response, 415, 'unsupported_media_type');
  });

  test('unparsable JSON does not quote the body', async () => {
    const response = await h.call({ method: 'POST', url: '/v1/businesses', headers: { 'content-type': 'application/json' }, payload: `{"name": ${'x'.repeat(3000)}` });
    expectErrorShape(response, 400, 'malformed_request');
  });

  test('a field name is quoted by its start only', async () => {
    const payload = { name: 'Bistro', timezone: 'UTC', ['x'.repeat(5000)]: 1 };
    const error = expectErrorShape(await h.call({ method: 'POST', url: '/v1/businesses', payload }), 400, 'validation_failed');
    expect(error.field?.length).toBeLessThan(120);
  });

  test('headers too large answer 431 in the same shape, over a real socket', async () => {
    const app = await buildApp({ db: h.db, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, logger: false });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const raw = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
      expect(body).toEqual({ error: { code: 'request_too_large', message: 'the request headers are too large' } });
      const broken = await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n');
      expect(broken).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(broken.slice(broken.indexOf('\r\n\r\n') + 4)).error.code).toBe('malformed_request');
    } finally {
      await app.close();
    }
  });
});

/** Sends bytes to a loopback port and reads until the server closes. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('one date rule for every date parameter', () => {
  test.each([
    '/v1/items?publishedFrom=2026-12-01',
    '/v1/items?publishedFrom=2026-12-01T00:00:00%2B01:00&publishedTo=2027-01-01',
    '/v1/metrics/response-times?from=2026-01-01&to=2026-02-01T00:00:00Z',
    '/v1/metrics/re-reviews?from=2026-01-01T00:00:00Z&to=2026-02-01',
  ])('%s is accepted', async (url) => {
    expect((await h.call({ method: 'GET', url })).statusCode).toBe(200);
  });

  test.each([
    ['/v1/items?publishedFrom=2026-02-30', 'query.publishedFrom'],
    ['/v1/items?publishedTo=2026-12-31T23:59:60Z', 'query.publishedTo'],
    ['/v1/metrics/response-times?from=2026-02-30', 'query.from'],
    ['/v1/metrics/response-times?to=2026-13-01', 'query.to'],
    ['/v1/metrics/re-reviews?from=2026-01-01T24:00:00Z', 'query.from'],
  ])('%s is refused naming %s', async (url, field) => {
    const error = expectErrorShape(await h.call({ method: 'GET', url }), 400, 'validation_failed');
    expect(error).toMatchObject({ field, message: expect.stringContaining('RFC 3339') });
  });

  test('a body date follows the same rule', async () => {
    const item = await insertItem(h.db, h.tenant, { published_at: new Date('2026-03-01T09:00:00Z') });
    const refused = await h.call({ method: 'POST', url: `/v1/items/${item}/respond`, payload: { at: '2026-03-01T23:59:60Z' } });
    expect(expectErrorShape(refused, 400, 'validation_failed').field).toBe('body.at');
    const answered = await h.call({ method: 'POST', url: `/v1/items/${item}/respond`, payload: { at: '2026-03-02' } });
    expect(answered.statusCode).toBe(200);
    expect(answered.json().respondedAt).toBe('2026-03-02T00:00:00.000Z');
  });
});

describe('numbers in a query string', () => {
  test.each(['limit=1e309', 'ratingMin=1e309', 'ratingMax=-1e309', 'limit=9007199254740993'])('%s is a 400 naming the field', async (query) => {
    const error = expectErrorShape(await h.call({ method: 'GET', url: `/v1/items?${query}` }), 400, 'validation_failed');
    expect(error.field).toBe(`query.${query.split('=')[0]}`);
  });
});

describe('bodies sent to unknown routes', () => {
  test.each(['/v1/nothing', '/nothing', '/healthz', '/v1/items/x/y'])('%s: a very deep body is a 400, a NUL in it changes nothing to the 404', async (url) => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expectErrorShape(await h.call({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: deep }), 400, 'malformed_request');
    expectErrorShape(await h.call({ method: 'POST', url, payload: { a: '\u0000' } }), 404, 'not_found');
  });
});

describe('cursors', () => {
  test.each(['2026-02-30T00:00:00Z', '2026-04-31T00:00:00.123456Z', '0000-01-01T00:00:00Z', '2026-12-31T23:59:60Z'])(
    'one holding the impossible date %s is a 400 naming query.cursor',
    async (sortAt) => {
      const cursor = Buffer.from(JSON.stringify([sortAt, h.tenant.businessId])).toString('base64url');
      expect(expectErrorShape(await h.call({ method: 'GET', url: `/v1/items?cursor=${cursor}` }), 400, 'validation_failed').field).toBe('query.cursor');
    },
  );
});
