import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { createDb } from '../../db/database.ts';
import { buildApp } from '../../services/api/app.ts';
import { createApiHarness } from '../support/api.ts';

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
