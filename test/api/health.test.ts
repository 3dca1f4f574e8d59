import { afterAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { listen } from '../../services/api/listen.ts';
import { createApiHarness } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

describe('GET /healthz', () => {
  test('answers ok without a key', async () => {
    const response = await h.call({ method: 'GET', url: '/healthz', key: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  test('is ready when PostgreSQL and Redis answer', async () => {
    const response = await h.call({ method: 'GET', url: '/readyz', key: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ postgres: 'ok', redis: 'ok', mail: expect.objectContaining({ status: 'ok', waiting: 0, lastError: null }) });
  });

  test('names the dependency that is down', async () => {
    const app = await buildApp({
      db: h.db,
      queues: h.queues,
      config: h.config,
      credentialsKey: h.credentialsKey,
      logger: false,
      checkRedis: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ postgres: 'ok', redis: 'down' });
    } finally {
      await app.close();
    }
  });
});

describe('GET /openapi.json', () => {
  const document = async () => (await h.call({ method: 'GET', url: '/openapi.json', key: null })).json();

  test('is an OpenAPI 3.1 document with bearer security', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Earshot');
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });

  test('describes every route with named shared schemas', async () => {
    const doc = await document();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/account',
      '/v1/alert-rules/{id}',
      '/v1/alerts/health',
      '/v1/businesses',
      '/v1/businesses/{id}',
      '/v1/businesses/{id}/alert-rules',
      '/v1/businesses/{id}/reply-templates',
      '/v1/businesses/{id}/reply-templates/{templateId}',
      '/v1/businesses/{id}/sources',
      '/v1/channels',
      '/v1/channels/{id}',
      '/v1/channels/{id}/test',
      '/v1/items',
      '/v1/items/{id}',
      '/v1/items/{id}/assign',
      '/v1/items/{id}/notes',
      '/v1/items/{id}/re-review-requests',
      '/v1/items/{id}/reopen',
      '/v1/items/{id}/replies',
      '/v1/items/{id}/replies/{replyId}',
      '/v1/items/{id}/resolve',
      '/v1/items/{id}/respond',
      '/v1/keys',
      '/v1/keys/{id}',
      '/v1/metrics/latency',
      '/v1/metrics/re-reviews',
      '/v1/metrics/response-times',
      '/v1/source-types',
      '/v1/sources/{id}',
      '/v1/sources/{id}/poll',
      '/v1/webhooks/trustpilot/{id}/{secret}',
      '/v1/webhooks/{id}',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'Business', 'Source', 'Item', 'ItemDetail', 'ItemEvent']),
    );
    expect(doc.paths['/v1/businesses/{id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Business',
    });
  });

  test('says which request bodies may be left out', async () => {
    const doc = await document();
    expect(doc.paths['/v1/items/{id}/respond'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/items/{id}/respond'].post).not.toHaveProperty('x-optional-body');
    expect(doc.paths['/v1/businesses'].post.requestBody.required).toBe(true);
  });

  test('gives every operation a success response and, under /v1, the error responses', async () => {
    const doc = await document();
    for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect(statuses.some((status) => status.startsWith('2')), `${method} ${path}`).toBe(true);
        if (path.startsWith('/v1/')) expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['401', '500']));
      }
    }
  });
});

describe('listen', () => {
  test('serves on the configured host and resolves to its URL', async () => {
    const app = await buildApp({ db: h.db, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, logger: false });
    try {
      const url = await listen(app, { host: '127.0.0.1', port: 0 });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/healthz`);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });
});

describe('GET /docs', () => {
  test('serves a browsable view of the OpenAPI document, without a key', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger');
    const spec = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().info.title).toBe('Earshot');
  });
});
