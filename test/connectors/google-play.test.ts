import { createVerify, generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googlePlay } from '../../connectors/google-play/index.ts';
import { timestampOrNull } from '../../connectors/google-play/reviews.ts';
import page1 from '../fixtures/google-play/reviews-page-1.json' with { type: 'json' };
import page2 from '../fixtures/google-play/reviews-page-2.json' with { type: 'json' };
import tokenReply from '../fixtures/google-play/token.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://androidpublisher.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const PACKAGE = 'com.example.synthnotes';
const REVIEWS = `/androidpublisher/v3/applications/${PACKAGE}/reviews`;
const NOW = new Date('2026-03-02T12:30:00Z');
const ACCESS_TOKEN = tokenReply.access_token;

// A throwaway key made for this run only.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CLIENT_EMAIL = 'earshot-reader@synthetic-project.iam.gserviceaccount.com';

function keyFile(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'synthetic-project',
    private_key_id: 'synthetic-key-id-1',
    private_key: PEM,
    client_email: CLIENT_EMAIL,
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${OAUTH}/token`,
    ...extra,
  });
}

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { packageName: PACKAGE }, json = keyFile()) {
  return googlePlay.parseConfig(config, { serviceAccountJson: json });
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'google_play', now: NOW });
  return allPages(googlePlay.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

interface Jwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signatureValid: boolean;
}

function decodeJwt(assertion: string): Jwt {
  const [header, claims, signature] = assertion.split('.');
  const signatureValid = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature!, 'base64url'));
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(header!), claims: decode(claims!), signatureValid };
}

/** The token endpoint, answering only a correctly signed jwt-bearer assertion for `audience`. */
function tokenEndpoint(origin = OAUTH, path = '/token', audience = `${origin}${path}`) {
  const seen: Jwt[] = [];
  const scope = nock(origin)
    .post(path, (body: Record<string, string> | string) => {
      const form = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body;
      if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || typeof form.assertion !== 'string') return false;
      const jwt = decodeJwt(form.assertion);
      seen.push(jwt);
      return jwt.signatureValid && jwt.claims.aud === audience;
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, tokenReply);
  return { scope, seen };
}

function reviews(query: Record<string, string>, body: object) {
  return nock(API).get(REVIEWS).matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`).query({ maxResults: '100', ...query }).reply(200, body);
}

describe('parseConfig', () => {
  test('keeps the key file as given, and defaults the API root', () => {
    const json = keyFile();
    expect(settings({ packageName: PACKAGE }, json)).toEqual({
      config: { packageName: PACKAGE, baseUrl: API, tokenUrl: null },
      credentials: { serviceAccountJson: json },
    });
  });

  test('the key file is secret; the package name is not', () => {
    expect(googlePlay.credentialsSchema.serviceAccountJson).toMatchObject({ secret: true, required: true });
    expect(googlePlay.configSchema.packageName).toMatchObject({ secret: false, required: true });
  });

  test.each([
    ['not json', 'credentials.serviceAccountJson is not JSON'],
    [keyFile({ type: 'authorized_user' }), 'is not a service account key'],
    [keyFile({ client_email: undefined }), 'has no "client_email"'],
    [keyFile({ private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' }), 'is not a readable PEM private key'],
  ])('refuses a bad key file without quoting it (%#)', (json, message) => {
    let error: unknown;
    try {
      settings({ packageName: PACKAGE }, json);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ kind: 'config', message: expect.stringContaining(message) });
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  test('refuses what is not a package name', () => {
    expect(() => settings({ packageName: 'https://play.google.com/store/apps/details?id=com.example' })).toThrow('config.packageName must be a package name');
  });
});

describe('fetch', () => {
  test('signs a JWT with the service account key, exchanges it, and reads every page of the week', async () => {
    const token = tokenEndpoint();
    const first = reviews({}, page1);
    const second = reviews({ token: 'synthetic-page-token-2' }, page2);

    const pages = await fetchAll();

    expect([token.scope, first, second].every((scope) => scope.isDone())).toBe(true);
    const [jwt] = token.seen;
    expect(jwt?.signatureValid).toBe(true);
    expect(jwt?.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'synthetic-key-id-1' });
    const iat = NOW.getTime() / 1000;
    expect(jwt?.claims).toEqual({ iss: CLIENT_EMAIL, scope: 'https://www.googleapis.com/auth/androidpublisher', aud: `${OAUTH}/token`, iat, exp: iat + 3600 });

    expect(pages).toHaveLength(2);
    const [sync, wonderful] = pages[0]!.items;
    expect(sync).toEqual({
      externalId: 'gp:AOqpTOSYNTHETIC0000000000000000000000000000000000000001',
      kind: 'review',
      url: `https://play.google.com/store/apps/details?id=${PACKAGE}&reviewId=gp%3AAOqpTOSYNTHETIC0000000000000000000000000000000000000001`,
      author: 'Rowan Synthe',
      rating: 1,
      title: null,
      body: 'Sync fails every night since 5.2.0 and I lose my notes.',
      language: 'en-GB',
      publishedAt: new Date('2026-03-02T09:30:00.250Z'),
      updatedAt: new Date('2026-03-02T09:30:00.250Z'),
      ownerReply: null,
      raw: page1.reviews[0],
    });
    // Title and body joined by a tab are split again; the developer's reply is the owner's.
    expect(wonderful).toMatchObject({
      title: 'Wonderful app',
      body: 'Clean design and the widget is handy.',
      rating: 5,
      ownerReply: { text: 'Thank you, Lio! More widgets are coming.', at: new Date('2026-03-01T23:00:00.500Z') },
    });
    expect(pages[1]!.items).toEqual([
      expect.objectContaining({ author: 'A Google user', rating: 2, language: 'es-419', body: 'Muy lenta al abrir.', publishedAt: new Date('2026-02-27T13:46:40Z') }),
    ]);
    expect(Object.keys((pages[1]!.cursor as { seen: object }).seen)).toHaveLength(3);
  });

  test('later polls report only new, edited or newly answered reviews', async () => {
    tokenEndpoint();
    reviews({}, page2);
    const first = await fetchAll();
    await ctx.http.close();

    const answered = structuredClone(page2) as { reviews: Array<{ comments: object[] }> };
    answered.reviews[0]!.comments.push({ developerComment: { text: 'Lo sentimos: 5.2.1 abre más rápido.', lastModified: { seconds: '1772440000' } } });
    const fresh = structuredClone(page1.reviews[0]);
    tokenEndpoint();
    reviews({}, { reviews: [fresh, ...answered.reviews] });

    const pages = await fetchAll(first.at(-1)!.cursor);

    expect(pages.flatMap((page) => page.items.map((item) => [item.externalId.slice(-2), item.ownerReply?.text ?? null]))).toEqual([
      ['01', null],
      ['03', 'Lo sentimos: 5.2.1 abre más rápido.'],
    ]);

    tokenEndpoint();
    reviews({}, { reviews: [fresh, ...answered.reviews] });
    const again = await fetchAll(pages.at(-1)!.cursor);
    expect(again.flatMap((page) => page.items)).toEqual([]);
  });

  test('no reviews this week: Google sends {}', async () => {
    tokenEndpoint();
    reviews({}, {});
    expect(await fetchAll()).toEqual([{ items: [], cursor: { seen: {} } }]);
  });

  test('config.tokenUrl overrides the key file\'s token_uri, and is the JWT audience', async () => {
    const token = tokenEndpoint('https://oauth.sandbox.test', '/v1/token');
    const list = nock('https://play-api.sandbox.test').get(REVIEWS).query(true).reply(200, {});
    await fetchAll(null, settings({ packageName: PACKAGE, baseUrl: 'https://play-api.sandbox.test', tokenUrl: 'https://oauth.sandbox.test/v1/token' }));
    expect(token.scope.isDone() && list.isDone()).toBe(true);
    expect(token.seen[0]?.claims.aud).toBe('https://oauth.sandbox.test/v1/token');
  });
});

describe('errors', () => {
  test('a refused key is config, and nothing of the key or the assertion is in the message', async () => {
    let assertion = '';
    nock(OAUTH)
      .post('/token', (body: Record<string, string>) => ((assertion = body.assertion ?? ''), true))
      .reply(400, () => ({ error: 'invalid_grant', message: `Invalid JWT Signature for ${assertion}` }));
    const error = await connectorFailure(fetchAll());
    expect(error).toMatchObject({ kind: 'config', status: 400 });
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('credentials.serviceAccountJson');
    expect(assertion).not.toBe('');
    expect(error.message).not.toContain(assertion);
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  test('403 from the API (no access to the app) is config', async () => {
    tokenEndpoint();
    nock(API).get(REVIEWS).query(true).reply(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } });
    expect(await connectorFailure(fetchAll())).toMatchObject({ kind: 'config', status: 403 });
  });

  test('a token reply without a token is a bad payload that keeps no token', async () => {
    nock(OAUTH).post('/token').reply(200, { id_token: 'ey.secret.jwt' });
    const error = await connectorFailure(fetchAll());
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).toBe('["id_token"]');
  });

  test('reviews of the wrong shape are a bad payload, kept', async () => {
    tokenEndpoint();
    reviews({}, { reviews: { reviewId: 'x' } });
    const error = await connectorFailure(fetchAll());
    expect(error).toMatchObject({ kind: 'bad_payload', payload: '{"reviews":{"reviewId":"x"}}' });
  });
});

describe('check', () => {
  test('signs in and lists one review', async () => {
    const token = tokenEndpoint();
    const list = reviews({ maxResults: '1' }, page2);
    ctx = testContext({ platform: 'google_play', now: NOW });
    const { config, credentials } = settings();
    await googlePlay.check(config, credentials, ctx);
    expect(token.scope.isDone() && list.isDone()).toBe(true);
  });
});

test('timestamps: int64 seconds as strings or numbers, nanos optional', () => {
  expect(timestampOrNull({ seconds: '1772443800', nanos: 999_999_999 })).toEqual(new Date('2026-03-02T09:30:00.999Z'));
  expect(timestampOrNull({ seconds: 1772443800 })).toEqual(new Date('2026-03-02T09:30:00Z'));
  expect(timestampOrNull({ seconds: 'soon' })).toBeNull();
  expect(timestampOrNull(null)).toBeNull();
});
