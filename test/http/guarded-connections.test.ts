import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createConnectorHttp, type ConnectorHttp } from '../../services/sources/http/connector-http.ts';
import { createGuardedAgent, type LookupAllCallback } from '../../services/sources/http/guarded-agent.ts';
import { freePort } from '../../services/runtime/free-port.ts';
import { connectorFailure, silentLog } from '../connectors/connector-context.ts';

// Real sockets to a real local server: no nock in this file.

let server: http.Server;
let port: number;
const clients: ConnectorHttp[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return;
    if (req.url === '/reset') return req.socket.destroy();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 11; i++) res.write(chunk);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ host: req.headers.host, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const resolvesToLoopback: LookupAllCallback = (_hostname, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);

function client(options: { allowPrivateUrls: boolean; lookup?: LookupAllCallback; timeoutMs?: number; signal?: AbortSignal }): ConnectorHttp {
  const agent = options.lookup ? createGuardedAgent(options.allowPrivateUrls, { lookup: options.lookup }) : undefined;
  const created = createConnectorHttp({
    platform: 'local',
    allowPrivateUrls: options.allowPrivateUrls,
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs,
    log: silentLog,
    agent,
  });
  clients.push({ ...created, close: async () => void (await Promise.all([created.close(), agent?.close()])) });
  return created;
}

describe('private addresses', () => {
  test('a local server is reachable when private URLs are allowed', async () => {
    const response = await client({ allowPrivateUrls: true }).json({ url: `http://127.0.0.1:${port}/hello`, label: 'hello' });
    expect(response.body).toEqual({ host: `127.0.0.1:${port}`, path: '/hello' });
  });

  test.each([`http://127.0.0.1:PORT/`, `http://localhost:PORT/`, `http://[::1]:PORT/`])('%s is refused when they are not', async (template) => {
    const error = await connectorFailure(client({ allowPrivateUrls: false }).send({ url: template.replace('PORT', String(port)), label: 'probe' }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it');
  });

  test('a host name that resolves to 127.0.0.1 is refused when connecting', async () => {
    const error = await connectorFailure(client({ allowPrivateUrls: false, lookup: resolvesToLoopback }).send({ url: `http://rebound.example:${port}/`, label: 'probe' }));
    expect(error).toMatchObject({
      kind: 'config',
      message: 'local probe refused: host rebound.example resolves to a private address (127.0.0.1); set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it',
    });
  });

  test('the same host name connects through the agent lookup when allowed', async () => {
    const response = await client({ allowPrivateUrls: true, lookup: resolvesToLoopback }).json({ url: `http://rebound.example:${port}/via-lookup`, label: 'probe' });
    expect(response.body).toEqual({ host: `rebound.example:${port}`, path: '/via-lookup' });
  });
});

describe('network failures are transient', () => {
  test('a connection reset', async () => {
    const error = await connectorFailure(client({ allowPrivateUrls: true }).send({ url: `http://127.0.0.1:${port}/reset`, label: 'reset' }));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/^local reset failed: network error/);
  });

  test('nobody listening', async () => {
    const closed = await freePort();
    const error = await connectorFailure(client({ allowPrivateUrls: true }).send({ url: `http://127.0.0.1:${closed}/`, label: 'nothing' }));
    expect(error).toMatchObject({ kind: 'transient', message: 'local nothing failed: network error (ECONNREFUSED)' });
  });

  test('no response within the timeout', async () => {
    const error = await connectorFailure(client({ allowPrivateUrls: true, timeoutMs: 300 }).send({ url: `http://127.0.0.1:${port}/hang?token=abc123secret`, label: 'slow' }));
    expect(error).toMatchObject({ kind: 'transient', message: 'local slow timed out' });
  });

  test('the poll being cancelled', async () => {
    const controller = new AbortController();
    const pending = client({ allowPrivateUrls: true, signal: controller.signal }).send({ url: `http://127.0.0.1:${port}/hang`, label: 'slow' });
    setTimeout(() => controller.abort(), 100);
    expect(await connectorFailure(pending)).toMatchObject({ kind: 'transient', message: 'local slow was cancelled' });
  });
});

test('a body over 10 MiB is refused as bad_payload', async () => {
  const error = await connectorFailure(client({ allowPrivateUrls: true }).send({ url: `http://127.0.0.1:${port}/huge`, label: 'huge' }));
  expect(error.kind).toBe('bad_payload');
  expect(error.payload?.length).toBe(64 * 1024);
});
