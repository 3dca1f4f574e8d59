import { afterAll, describe, expect, test } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { signWebhook } from '../../connectors/webhook/signature.ts';
import { addKey, createApiHarness, createTenant, insertItem } from '../support/api.ts';
import { seededRandom } from '../support/reference-percentile.ts';

/**
 * Every route and every parameter of the published OpenAPI document, sent bad input:
 * wrong types, missing and unknown fields, huge and odd Unicode (NUL, half an emoji),
 * bad ids and cursors, impossible dates, wrong content types, broken, non-UTF-8 and
 * over-deep JSON. The API must answer each with a 2xx, or a 4xx in the documented
 * error shape that quotes little of the input — never a 5xx.
 *
 * The cases are drawn from a seeded generator, so a failure is the same on every run;
 * FUZZ_SEED=<n> explores another set.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Random cases per parameter on top of the fixed ones; bounds the run to well under a minute. */
const RANDOM_CASES_PER_PARAMETER = 3;

const h = await createApiHarness({ config: { apiRateLimitPerMinute: 1_000_000, publicUrl: 'https://earshot.example.com' } });
afterAll(() => h.close());

const random = seededRandom(SEED);
const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

// ---- The world the requests act on ------------------------------------------------

const WEBHOOK_SECRET = 'whsec-fuzz-0123456789abcdef';
const webhookSource = await h.call({
  method: 'POST',
  url: `/v1/businesses/${h.tenant.businessId}/sources`,
  payload: { type: 'webhook', config: {}, credentials: { secret: WEBHOOK_SECRET } },
});
const webhookSourceId: string = webhookSource.json().id;
const itemId = await insertItem(h.db, h.tenant, { published_at: new Date('2026-03-01T09:00:00Z'), rating: 1 });
// Deletes and revocations act on things of their own, so the rest of the run keeps its key and data.
const doomed = await createTenant(h.db, h.credentialsKey, 'Doomed');
const doomedKey = await addKey(h.db, h.tenant.accountId, 'staff');
const stranger = h.stranger;

function pathId(method: string, path: string): string {
  if (path.startsWith('/v1/webhooks/')) return webhookSourceId;
  if (path.startsWith('/v1/keys/')) return doomedKey.id;
  if (path.startsWith('/v1/businesses/')) return method === 'DELETE' ? doomed.businessId : h.tenant.businessId;
  if (path.startsWith('/v1/sources/')) return method === 'DELETE' ? doomed.sourceId : h.tenant.sourceId;
  if (path.startsWith('/v1/items/')) return itemId;
  return h.tenant.businessId;
}

// ---- Bad values ----------------------------------------------------------------------

/** Huge strings are made of this, so an echo of them in an error is easy to spot. */
const ECHO_MARK = 'Ξ';
const HUGE = ECHO_MARK.repeat(100_000);
const badStrings = [
  '', ' ', 'a\u0000b', '\u0000', 'half \ud83d emoji', '\udc00 low half', '😀👩‍👩‍👧', 'مرحبا\u202e', 'e\u0301\u0301\u0301',
  '\uffff\ufffe', '<script>alert(1)</script>', "'; DROP TABLE items; --", '%00', '%ff', '../../etc/passwd', '\\', '"', '{}',
  'null', 'true', '-1', '1e309', HUGE, ECHO_MARK.repeat(5000),
];
const badIds = [
  `urn:uuid:${h.tenant.businessId}`, h.tenant.businessId.toUpperCase(), `{${h.tenant.businessId}}`, h.tenant.businessId.replaceAll('-', ''),
  '00000000-0000-0000-0000-000000000000', stranger.businessId, 'x'.repeat(5000), 'not-a-uuid', '1',
];
const badDates = [
  '2026-02-30', '2026-13-01', '2026-12-31T23:59:60Z', '2026-03-01T24:00:00Z', '+275760-09-13T00:00:00Z', '-010000-01-01T00:00:00Z',
  '1', '0000-01-01', '2026-03-01T09:30:00', 'yesterday', '2026-03-01T09:30:00+25:00',
];
const badCursors = [
  'AAAA', '!!!!', Buffer.from('[]').toString('base64url'), Buffer.from('["2026-13-45T99:00:00Z","x"]').toString('base64url'),
  Buffer.from(`["2026-03-01T00:00:00Z","urn:uuid:${h.tenant.businessId}"]`).toString('base64url'), Buffer.from('{"__proto__":1}').toString('base64url'),
  ...['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-12-31T23:59:60Z'].map((sortAt) => Buffer.from(JSON.stringify([sortAt, itemId])).toString('base64url')),
  'x'.repeat(5000),
];
const badNumbers = [-1, 0, 1.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER];
const wrongTypes: unknown[] = [null, true, false, 0, 123, 'text', [], ['a'], {}, { nested: { deep: [1] } }];

function deepJson(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { d: value };
  return value;
}

type Schema = { type?: string | string[]; format?: string; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[] };

/** Values aimed at one parameter: a few fixed per kind, a few drawn at random from everything. */
function badValuesFor(name: string, schema: Schema | undefined): unknown[] {
  const fixed: unknown[] = [...wrongTypes.slice(0, 3), pick(badStrings)];
  if (schema?.format === 'uuid' || /id$/i.test(name)) fixed.push(...badIds);
  if (schema?.format === 'api-date' || /at$|from$|to$/i.test(name)) fixed.push(...badDates);
  if (name === 'cursor') fixed.push(...badCursors);
  if (schema?.type === 'integer' || schema?.type === 'number') fixed.push(...badNumbers, '8');
  if (schema?.enum) fixed.push(`${String(schema.enum[0])}x`, String(schema.enum[0]).toUpperCase());
  const everything = [...badStrings, ...badIds, ...badDates, ...badCursors, ...badNumbers, ...wrongTypes, deepJson(40)];
  for (let n = 0; n < RANDOM_CASES_PER_PARAMETER; n++) fixed.push(pick(everything));
  return fixed;
}

// ---- Valid requests, from the document -----------------------------------------------

type Operation = {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }> };
};

const openapi = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };

const WEBHOOK_BODY = { items: [{ id: 'fuzz-1', body: 'Cold soup', rating: 2, author: 'Kim', publishedAt: '2026-03-01T09:00:00Z' }], removed: [] };

function exampleBody(path: string, operation: Operation): Record<string, unknown> | undefined {
  if (path.startsWith('/v1/webhooks/')) return structuredClone(WEBHOOK_BODY);
  const content = operation.requestBody?.content?.['application/json'];
  if (content === undefined) return undefined;
  const example = content.example ?? Object.values(content.examples ?? {})[0]?.value;
  if (example !== null && typeof example === 'object') return structuredClone(example) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const name of content.schema?.required ?? []) body[name] = name === 'type' ? 'rss' : name === 'config' ? { url: 'https://example.com/feed' } : 'value';
  return body;
}

function validQueryValue(name: string, schema: Schema | undefined): string | undefined {
  if (schema?.format === 'uuid' || name === 'businessId') return h.tenant.businessId;
  if (schema?.format === 'api-date') return name.endsWith('To') || name === 'to' ? '2027-01-01' : '2026-01-01';
  return undefined;
}

interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body?: unknown;
  /** Bytes sent as they are, instead of `body` as JSON. */
  rawBody?: string | Buffer;
  contentType?: string;
  auth: 'owner' | 'none' | 'bogus';
  /** A path with its id replaced verbatim (already encoded, or deliberately not). */
  rawPath?: string;
}

function buildUrl(request: FuzzRequest, pathTemplate: string): string {
  const path = request.rawPath ?? pathTemplate.replace('{id}', encodeURIComponent(pathId(request.method, pathTemplate)));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    for (const one of Array.isArray(value) ? value : [value]) search.append(name, typeof one === 'string' ? one : JSON.stringify(one));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

function toInject(request: FuzzRequest): InjectOptions {
  const url = buildUrl(request, request.path);
  const headers: Record<string, string> = {};
  if (request.auth === 'owner') headers.authorization = `Bearer ${h.tenant.key}`;
  if (request.auth === 'bogus') headers.authorization = `Bearer es_${'0'.repeat(40)}`;
  let payload: string | Buffer | undefined;
  if (request.rawBody !== undefined) payload = request.rawBody;
  else if (request.body !== undefined) payload = JSON.stringify(request.body);
  if (payload !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  if (request.path.startsWith('/v1/webhooks/')) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers['x-earshot-timestamp'] = String(timestamp);
    headers['x-earshot-signature'] = signWebhook(WEBHOOK_SECRET, timestamp, payload ?? '');
  }
  return { method: request.method as InjectOptions['method'], url, headers, ...(payload !== undefined && { payload }) };
}

/** Every bad request for one operation: per parameter, per body field, and per request as a whole. */
function requestsFor(path: string, method: string, operation: Operation): FuzzRequest[] {
  const verb = method.toUpperCase();
  const baseQuery: Record<string, unknown> = {};
  const queryParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  for (const parameter of queryParameters) {
    const value = validQueryValue(parameter.name, parameter.schema);
    if (value !== undefined && random() < 0.5) baseQuery[parameter.name] = value;
  }
  const body = exampleBody(path, operation);
  const base: FuzzRequest = { label: 'as documented', method: verb, path, query: baseQuery, ...(body !== undefined && { body }), auth: 'owner' };
  const requests: FuzzRequest[] = [base, { ...base, label: 'without a key', auth: 'none' }, { ...base, label: 'with an unknown key', auth: 'bogus' }];

  for (const parameter of queryParameters) {
    for (const value of badValuesFor(parameter.name, parameter.schema)) {
      requests.push({ ...base, label: `query.${parameter.name}`, query: { ...baseQuery, [parameter.name]: value } });
    }
    requests.push({ ...base, label: `query.${parameter.name} twice`, query: { ...baseQuery, [parameter.name]: ['a', 'b'] } });
  }
  requests.push({ ...base, label: 'unknown query parameter', query: { ...baseQuery, surprise: '1' } });

  if (path.includes('{id}')) {
    for (const id of [...badIds, 'a\u0000b', pick(badStrings)]) {
      requests.push({ ...base, label: 'path id', rawPath: path.replace('{id}', encodeURIComponent(id.toWellFormed())) });
    }
    for (const raw of ['%ff', '%', '%E0%A4%A', '..%2f..%2f', `${'%41'.repeat(3000)}`]) {
      requests.push({ ...base, label: 'raw path id', rawPath: path.replace('{id}', raw) });
    }
  }

  if (body !== undefined) {
    const fields = fieldsOf(body);
    for (const field of fields) {
      for (const value of badValuesFor(field.at(-1) ?? '', undefined)) requests.push({ ...base, label: `body.${field.join('.')}`, body: withField(body, field, value) });
      requests.push({ ...base, label: `body.${field.join('.')} missing`, body: withField(body, field, undefined) });
    }
    requests.push(
      { ...base, label: 'unknown body field', body: { ...body, surprise: 1 } },
      { ...base, label: 'body null', body: null },
      { ...base, label: 'body is a list', body: [body] },
      { ...base, label: 'body is a string', body: 'text' },
      { ...base, label: 'deep body', body: { ...body, deep: deepJson(40) } },
      { ...base, label: 'deep body, no other fields', rawBody: `${'[{"d":'.repeat(5000)}1${'}]'.repeat(5000)}` },
      { ...base, label: 'invalid JSON', rawBody: '{"a": ' },
      { ...base, label: 'empty JSON body', rawBody: '' },
      { ...base, label: 'JSON with a BOM', rawBody: `\ufeff${JSON.stringify(body)}` },
      { ...base, label: 'non-UTF-8 body', rawBody: Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xff, 0xfe]), Buffer.from('B"}')]) },
      { ...base, label: 'non-UTF-8 body claiming latin1', rawBody: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json; charset=latin1' },
      { ...base, label: 'plain text', rawBody: 'name=x', contentType: 'text/plain' },
      { ...base, label: 'form', rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' },
      { ...base, label: 'XML', rawBody: '<a/>', contentType: 'application/xml' },
      { ...base, label: 'odd content type', rawBody: '{}', contentType: `application/${'x'.repeat(3000)}` },
      { ...base, label: '__proto__', rawBody: '{"__proto__":{"polluted":true}}' },
    );
  } else {
    requests.push({ ...base, label: 'unexpected body', body: { surprise: 1 } }, { ...base, label: 'unexpected broken body', rawBody: '{"a": ' });
  }
  return requests;
}

/** Paths to every value in a body (objects and the first entry of lists), as property names. */
function fieldsOf(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.length === 0 ? [] : [[...prefix, '0'], ...fieldsOf(value[0], [...prefix, '0']).filter((field) => field.length > prefix.length + 1)];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, entry]) => [[...prefix, key], ...fieldsOf(entry, [...prefix, key]).filter((field) => field.length > prefix.length + 1)]);
}

function withField(body: unknown, field: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const key of field.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = field.at(-1) as string;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

// ---- The promise -----------------------------------------------------------------------

const ERROR_CODES = new Set(
  ((await h.app.inject({ method: 'GET', url: '/openapi.json' })).json().components.schemas.Error.properties.error.properties.code.enum as string[]),
);

/** What is wrong with a response, or undefined when it keeps the promise. */
function brokenPromise(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `answered ${response.statusCode}`;
  if (response.statusCode < 400) return undefined;
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return 'error body is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  const keysOk = body !== null && typeof body === 'object' && Object.keys(body).join() === 'error';
  if (!keysOk || error === undefined || typeof error.message !== 'string' || typeof error.code !== 'string' || !ERROR_CODES.has(error.code)) {
    return 'error body is outside {error: {code, message, field?}}';
  }
  if (Object.keys(error).some((key) => !['code', 'message', 'field'].includes(key)) || (error.field !== undefined && typeof error.field !== 'string')) {
    return 'error body has fields beyond code, message, field';
  }
  if (response.body.includes(ECHO_MARK.repeat(201)) || response.body.includes('x'.repeat(201)) || response.body.includes('%41'.repeat(67))) {
    return 'error quotes more than 200 characters of the request';
  }
  return undefined;
}

function describeRequest(request: FuzzRequest, options: InjectOptions, response: LightMyRequestResponse, problem: string): string {
  const shown = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  const payload = options.payload === undefined ? '' : ` body=${shown(Buffer.isBuffer(options.payload) ? `<bytes ${options.payload.toString('hex')}>` : String(options.payload))}`;
  const type = (options.headers as Record<string, string> | undefined)?.['content-type'];
  return `${problem} [${request.label}; auth=${request.auth}] ${options.method} ${shown(String(options.url))}${type ? ` content-type=${shown(type)}` : ''}${payload}\n  → ${response.statusCode} ${shown(response.body)}`;
}

let sent = 0;

describe('the API answers bad input without a 5xx and in its error shape', () => {
  const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path: path.replace(/\{(\w+)\}/g, '{id}'), method, operation })),
  );

  test('the document lists the routes the fuzzing relies on', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  test.each(operations.map((entry) => [`${entry.method.toUpperCase()} ${entry.path}`, entry] as const))('%s', async (_name, { path, method, operation }) => {
    const failures: string[] = [];
    for (const request of requestsFor(path, method, operation)) {
      sent++;
      const options = toInject(request);
      const response = await h.app.inject(options);
      const problem = brokenPromise(response);
      if (problem !== undefined) failures.push(describeRequest(request, options, response, problem));
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  test('methods a path does not have, and paths that do not exist, are 404s in the same shape', async () => {
    const failures: string[] = [];
    const unknownPaths = ['/v1/nothing', `/v1/items/${itemId}/nothing`, `/v1/${ECHO_MARK.repeat(3000)}`, '/v1/items/%ff/%ff', '/%00', '/v1//items'];
    const requests: FuzzRequest[] = [
      ...Object.entries(openapi.paths).flatMap(([path, methods]) =>
        ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
          .filter((method) => !(method.toLowerCase() in methods))
          .map((method): FuzzRequest => ({ label: 'undocumented method', method, path: path.replace(/\{(\w+)\}/g, '{id}'), query: {}, body: { a: 1 }, auth: 'owner' })),
      ),
      ...unknownPaths.map((rawPath): FuzzRequest => ({ label: 'unknown path', method: pick(['GET', 'POST']), path: rawPath, rawPath, query: {}, auth: 'owner' })),
    ];
    for (const request of requests) {
      sent++;
      const options = toInject(request);
      const response = await h.app.inject(options);
      const problem = brokenPromise(response) ?? (response.statusCode < 400 ? `answered ${response.statusCode}` : undefined);
      if (problem !== undefined) failures.push(describeRequest(request, options, response, problem));
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  test('enough requests were sent to mean something, and few enough to stay quick', () => {
    expect(sent).toBeGreaterThan(1000);
    expect(sent).toBeLessThan(5000);
  });
});
