import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { createConnectorHttp, type ConnectorHttp } from '../../services/sources/http/connector-http.ts';
import { createGuardedAgent } from '../../services/sources/http/guarded-agent.ts';
import type { BudgetLimits, RequestBudget } from '../../services/sources/http/request-budget.ts';
import { connectorFailure, silentLog } from '../connectors/connector-context.ts';
import { offlineWithNock } from '../connectors/offline-with-nock.ts';

const API = 'https://api.platform.example';
const KEY = 'sk_live_0123456789abcdef';
const NOW = new Date('2026-03-02T12:00:00Z');

let http: ConnectorHttp;

offlineWithNock(() => http?.close());

function client(extra: Partial<Parameters<typeof createConnectorHttp>[0]> = {}): ConnectorHttp {
  http = createConnectorHttp({ platform: 'example', allowPrivateUrls: false, signal: new AbortController().signal, log: silentLog, now: () => NOW, ...extra } as Parameters<typeof createConnectorHttp>[0]);
  return http;
}

const withKey = { url: `${API}/v1/things?key=${KEY}&q=x`, headers: { Authorization: `Bearer ${KEY}` }, label: 'list things' };

describe('nock and the guarded agent', () => {
  test('nock intercepts requests sent through a guarded undici Agent', async () => {
    const agent = createGuardedAgent(false);
    try {
      const scope = nock(API).get('/v1/ping').matchHeader('x-probe', 'yes').reply(200, { pong: true }, { 'X-Reply': 'ok' });
      const response = await client({ agent }).json({ url: `${API}/v1/ping`, headers: { 'X-Probe': 'yes' }, label: 'ping' });
      expect(scope.isDone()).toBe(true);
      expect(response).toEqual({ status: 200, headers: { 'x-reply': 'ok', 'content-type': 'application/json' }, body: { pong: true } });
    } finally {
      await agent.close();
    }
  });
});

describe('requests', () => {
  test('sends JSON bodies with their content type', async () => {
    const scope = nock(API).post('/v1/session', { user: 'me' }).matchHeader('content-type', 'application/json').reply(201, 'created');
    const response = await client().send({ method: 'POST', url: `${API}/v1/session`, body: { user: 'me' }, label: 'sign in' });
    expect(scope.isDone()).toBe(true);
    expect(response).toMatchObject({ status: 201, text: 'created' });
  });

  test('sends URLSearchParams bodies as a form', async () => {
    const scope = nock(API)
      .post('/token', 'grant_type=client_credentials&assertion=a%2Bb%3Dc')
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { access_token: 'ok' });
    const form = new URLSearchParams({ grant_type: 'client_credentials', assertion: 'a+b=c' });
    const response = await client().json({ method: 'POST', url: `${API}/token`, body: form, label: 'token' });
    expect(scope.isDone()).toBe(true);
    expect(response.body).toEqual({ access_token: 'ok' });
  });

  test('form values are secrets too: never in the message, even when echoed', async () => {
    nock(API).post('/token').reply(400, { error: 'invalid_grant', message: `assertion ${KEY} is not valid` });
    const error = await connectorFailure(client().send({ method: 'POST', url: `${API}/token`, body: new URLSearchParams({ assertion: KEY }), label: 'token' }));
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });

  test('draws each request from the shared budget', async () => {
    const taken: Array<[string, BudgetLimits]> = [];
    const budget: RequestBudget = { take: async (platform, limits) => void taken.push([platform, limits]) };
    nock(API).get('/a').reply(302, '', { Location: '/b' }).get('/b').reply(200, 'ok');
    await client({ budget, budgetLimits: { requests: 10, windowSeconds: 60 } }).send({ url: `${API}/a`, label: 'a' });
    // The redirect is a request of its own.
    expect(taken).toEqual([['example', { requests: 10, windowSeconds: 60 }], ['example', { requests: 10, windowSeconds: 60 }]]);
  });
});

describe('status mapping', () => {
  test.each([401, 403, 404, 400, 422])('HTTP %i is config, naming platform, label, status and the platform message', async (status) => {
    nock(API).get('/v1/things').query(true).reply(status, { error: 'InvalidToken', message: 'Bad token' });
    const error = await connectorFailure(client().send(withKey));
    expect(error).toMatchObject({ kind: 'config', status, message: `example list things failed with HTTP ${status}: InvalidToken: Bad token` });
  });

  test('secrets from the URL query and headers never appear in the message, even when echoed', async () => {
    nock(API).get('/v1/things').query(true).reply(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: `key ${KEY} (Bearer ${KEY}) is revoked; see ${API}/v1/things?key=${KEY}` } });
    const error = await connectorFailure(client().send(withKey));
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });

  test.each([
    [{ 'Retry-After': '17' }, 17_000],
    [{ 'Retry-After': 'Mon, 02 Mar 2026 12:01:00 GMT' }, 60_000],
    [{ 'RateLimit-Reset': String(NOW.getTime() / 1000 + 240) }, 240_000],
    [{ 'X-RateLimit-Reset': '2026-03-02T12:03:00.000Z' }, 180_000],
    [{}, 60_000],
  ])('429 with %j waits %i ms', async (headers, wait) => {
    nock(API).get('/v1/things').query(true).reply(429, { error: 'RateLimitExceeded' }, headers);
    expect(await connectorFailure(client().send(withKey))).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: wait });
  });

  test.each([500, 502, 503])('HTTP %i is transient', async (status) => {
    nock(API).get('/v1/things').query(true).reply(status, 'oops');
    expect(await connectorFailure(client().send(withKey))).toMatchObject({ kind: 'transient', status, message: `example list things failed with HTTP ${status}` });
  });

  test('304 answers a conditional GET; without a condition it is an error', async () => {
    nock(API).get('/feed.xml').matchHeader('if-none-match', '"v1"').reply(304, '', { etag: '"v1"' });
    const response = await client().send({ url: `${API}/feed.xml`, headers: { 'If-None-Match': '"v1"' }, label: 'feed' });
    expect(response).toMatchObject({ status: 304, text: '', headers: { etag: '"v1"' } });
    nock(API).get('/feed.xml').reply(304, '');
    expect(await connectorFailure(client().send({ url: `${API}/feed.xml`, label: 'feed' }))).toMatchObject({ kind: 'transient', status: 304 });
  });

  test('a status the caller names as an answer (a lookup\'s 404) is returned, not thrown', async () => {
    nock(API).get('/v1/things/gone').reply(404, '{"error":"not found"}');
    const response = await client().send({ url: `${API}/v1/things/gone`, label: 'look up thing', answers: [404, 410] });
    expect(response).toMatchObject({ status: 404, text: '{"error":"not found"}' });
    nock(API).get('/v1/things/gone').reply(404, '');
    expect(await connectorFailure(client().send({ url: `${API}/v1/things/gone`, label: 'look up thing' }))).toMatchObject({ kind: 'config', status: 404 });
  });

  test('json(): a body that is not JSON is bad_payload, kept up to 64 KiB', async () => {
    const body = `{"truncated": ${'x'.repeat(70 * 1024)}`;
    nock(API).get('/v1/things').query(true).reply(200, body);
    const error = await connectorFailure(client().json(withKey));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toBe('example list things returned a body that is not JSON');
    expect(error.payload).toBe(body.slice(0, 64 * 1024));
  });

  test('json(): a non-JSON body echoing what was sent is kept with the secrets scrubbed', async () => {
    nock(API).get('/v1/things').query(true).reply(200, `<html>bad token Bearer ${KEY} for ${API}/v1/things?key=${KEY}&q=x</html>`);
    const error = await connectorFailure(client().json(withKey));
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).not.toContain(KEY);
    expect(error.payload).toContain('[redacted]');
  });
});

describe('redirects', () => {
  test('follows up to five, keeping headers on the same site', async () => {
    const scope = nock(API).matchHeader('authorization', `Bearer ${KEY}`);
    for (let hop = 0; hop < 5; hop++) scope.get(`/r${hop}`).reply(301, '', { Location: `/r${hop + 1}` });
    scope.get('/r5').reply(200, 'arrived');
    const response = await client().send({ url: `${API}/r0`, headers: { Authorization: `Bearer ${KEY}` }, label: 'hop' });
    expect(response.text).toBe('arrived');
  });

  test('a sixth redirect is an error', async () => {
    const scope = nock(API);
    for (let hop = 0; hop < 6; hop++) scope.get(`/r${hop}`).reply(302, '', { Location: `/r${hop + 1}` });
    expect(await connectorFailure(client().send({ url: `${API}/r0`, label: 'hop' }))).toMatchObject({ kind: 'transient', message: 'example hop failed: more than 5 redirects' });
  });

  test('drops credentials when redirected to another site', async () => {
    nock(API).get('/moved').reply(307, '', { Location: 'https://cdn.elsewhere.example/file' });
    const elsewhere = nock('https://cdn.elsewhere.example', { badheaders: ['authorization', 'x-api-key'] }).get('/file').reply(200, 'public');
    const response = await client().send({ url: `${API}/moved`, headers: { Authorization: `Bearer ${KEY}`, 'X-Api-Key': KEY }, label: 'file' });
    expect(elsewhere.isDone()).toBe(true);
    expect(response.text).toBe('public');
  });

  test('a Location that is not a URL is transient', async () => {
    nock(API).get('/bad').reply(302, '', { Location: 'http://[broken' });
    expect(await connectorFailure(client().send({ url: `${API}/bad`, label: 'bad' }))).toMatchObject({ kind: 'transient', message: 'example bad failed: redirected to an invalid URL' });
  });

  test('303 after a POST continues as a GET', async () => {
    nock(API).post('/form').reply(303, '', { Location: '/result' }).get('/result').reply(200, 'done');
    expect((await client().send({ method: 'POST', url: `${API}/form`, body: { a: 1 }, label: 'form' })).text).toBe('done');
  });

  test('will not resend a request body to another site', async () => {
    nock(API).post('/login').reply(307, '', { Location: 'https://collector.example/login' });
    const error = await connectorFailure(client().send({ method: 'POST', url: `${API}/login`, body: { password: KEY }, label: 'sign in' }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('redirected to another site');
  });

  test.each(['http://127.0.0.1:9/admin', 'http://10.0.0.8/', 'http://[::1]/', 'http://localhost/', 'http://169.254.169.254/latest/meta-data/'])(
    'a redirect to %s is refused before connecting',
    async (target) => {
      nock(API).get('/go').reply(302, '', { Location: target });
      const error = await connectorFailure(client().send({ url: `${API}/go`, label: 'go' }));
      expect(error.kind).toBe('config');
      expect(error.message).toMatch(/^example go refused: the URL points at .*; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it$/);
    },
  );

  test('a redirect to a name that resolves to a private address is refused at connect time', async () => {
    const agent = createGuardedAgent(false, { lookup: (_host, callback) => callback(null, [{ address: '10.0.0.8', family: 4 }]) });
    nock.enableNetConnect('intranet.example');
    try {
      nock(API).get('/go').reply(302, '', { Location: 'http://intranet.example/secret' });
      const error = await connectorFailure(client({ agent }).send({ url: `${API}/go`, label: 'go' }));
      expect(error.kind).toBe('config');
      expect(error.message).toBe('example go refused: host intranet.example resolves to a private address (10.0.0.8); set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it');
    } finally {
      nock.disableNetConnect();
      await agent.close();
    }
  });
});

describe('URLs refused before sending', () => {
  test.each(['http://127.0.0.1/x', 'http://10.1.1.1/x', 'http://[::1]/x', 'http://localhost/x', 'ftp://example.com/x'])('%s', async (url) => {
    expect(await connectorFailure(client().send({ url, label: 'probe' }))).toMatchObject({ kind: 'config' });
  });
});
