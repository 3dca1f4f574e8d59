import { generateKeyPairSync, verify } from 'node:crypto';
import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { appStore } from '../../connectors/app-store/index.ts';
import { ReplyRefused, type ReplyTarget } from '../../connectors/reply-contract.ts';
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const CONNECT = 'https://api.appstoreconnect.apple.com';
const APP_ID = '1234500001';
const REVIEW_ID = '11223344556';
const ISSUER_ID = '57246542-96fe-1a63-e053-0824d011072a';
const KEY_ID = '2X9R4HXF34';
const NOW = new Date('2026-03-02T12:30:00Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const P8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const TARGET: ReplyTarget = { externalId: REVIEW_ID, url: `https://apps.apple.com/us/app/id${APP_ID}?see-all=reviews`, raw: {}, publishedAt: NOW, hasText: true };

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = appStore.reply!;

function settings(credentials: Record<string, string> = { issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: P8 }) {
  ctx = testContext({ platform: 'app_store', now: NOW });
  return appStore.parseConfig({ appId: APP_ID }, credentials);
}

/** Checks the bearer token as Apple does: ES256 over header.claims with our key, the right kid, iss, aud and lifetime. */
function validToken(authorization: string | null): boolean {
  const [scheme, token] = (authorization ?? '').split(' ');
  const [header, claims, signature] = (token ?? '').split('.');
  if (scheme !== 'Bearer' || header === undefined || claims === undefined || signature === undefined) return false;
  const signed = verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  const head = JSON.parse(Buffer.from(header, 'base64url').toString());
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString());
  const issuedAt = NOW.getTime() / 1000;
  return signed && head.alg === 'ES256' && head.kid === KEY_ID && body.iss === ISSUER_ID && body.aud === 'appstoreconnect-v1' && body.iat === issuedAt && body.exp - body.iat <= 20 * 60;
}

function responseResource(state: string, text = 'Thanks for the feedback, the fix ships in 2.4.') {
  return {
    data: {
      type: 'customerReviewResponses',
      id: '00000041-f4ae-4f04-a1d6-0000000000a1',
      attributes: { responseBody: text, lastModifiedDate: '2026-03-02T12:30:02-08:00', state },
      relationships: { review: { links: { self: 'synthetic' } } },
      links: { self: `${CONNECT}/v1/customerReviewResponses/00000041-f4ae-4f04-a1d6-0000000000a1` },
    },
    links: { self: `${CONNECT}/v1/customerReviewResponses` },
  };
}

function createResponse(status: number, body: object) {
  let sent: unknown;
  let authorized = false;
  const scope = nock(CONNECT)
    .post('/v1/customerReviewResponses', (input) => {
      sent = input;
      return true;
    })
    // nock 15 hands reply functions the fetch Request.
    .reply((request: Request): [number, string] => {
      authorized = validToken(request.headers.get('authorization'));
      return [status, JSON.stringify(body)];
    });
  return { scope, sent: () => sent, authorized: () => authorized };
}

describe('app store reply: credentials', () => {
  test('a key pasted without its line breaks is read; the three fields come together or not at all', () => {
    const flattened = P8.replace(/\n/g, ' ');
    const parsed = settings({ issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: flattened }).credentials;
    expect(parsed).toEqual({ issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: P8 });
    // What parseConfig returns is what is stored, and is parsed again unchanged before each use.
    expect(appStore.parseConfig({ appId: APP_ID }, parsed as Record<string, string>).credentials).toEqual(parsed);
    expect(settings({}).credentials).toEqual({});
    expect(() => settings({ issuerId: ISSUER_ID, keyId: KEY_ID })).toThrow(/credentials\.privateKey is required/);
  });

  test.each([
    [{ issuerId: 'not-a-uuid', keyId: KEY_ID, privateKey: P8 }, /credentials\.issuerId/],
    [{ issuerId: ISSUER_ID, keyId: 'has spaces', privateKey: P8 }, /credentials\.keyId/],
    [{ issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: 'not a key' }, /credentials\.privateKey/],
    [{ issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }, /EC P-256/],
  ])('a wrong key is refused when the source is saved: %#', (credentials, message) => {
    expect(() => settings(credentials)).toThrow(message);
  });

  test('check proves the key on the app itself', async () => {
    const { config, credentials } = settings();
    nock('https://itunes.apple.com').get(/customerreviews/).reply(200, { feed: { entry: [] } });
    const app = nock(CONNECT)
      .get(`/v1/apps/${APP_ID}`)
      .query({ 'fields[apps]': 'bundleId' })
      .reply(404, { errors: [{ status: '404', code: 'NOT_FOUND', title: 'The specified resource does not exist' }] });

    const error = await connectorFailure(appStore.check(config, credentials, ctx));

    expect(app.isDone()).toBe(true);
    expect(error.kind).toBe('config');
    expect(error.message).toContain('config.appId');
  });

  test('replying without a key is config naming the fields to add', async () => {
    const { config, credentials } = settings({});
    expect(reply.credentialsNeeded).toEqual(['issuerId', 'keyId', 'privateKey']);

    expect((await connectorFailure(reply.publish(config, credentials, TARGET, 'Thanks', ctx))).message).toContain('credentials.issuerId');
  });
});

describe('app store reply: publish', () => {
  test('creates the review’s response with a signed token; Apple holds it for review (PENDING_PUBLISH)', async () => {
    const { config, credentials } = settings();
    const create = createResponse(201, responseResource('PENDING_PUBLISH'));

    const published = await reply.publish(config, credentials, TARGET, 'Thanks for the feedback, the fix ships in 2.4.', ctx);

    expect(create.scope.isDone() && create.authorized()).toBe(true);
    expect(create.sent()).toEqual({
      data: {
        type: 'customerReviewResponses',
        attributes: { responseBody: 'Thanks for the feedback, the fix ships in 2.4.' },
        relationships: { review: { data: { type: 'customerReviews', id: REVIEW_ID } } },
      },
    });
    expect(published).toEqual({
      state: 'pending_moderation',
      reason: null,
      platformReplyId: '00000041-f4ae-4f04-a1d6-0000000000a1',
      at: new Date('2026-03-02T20:30:02Z'),
      url: TARGET.url,
    });
  });

  test('a response Apple already shows is published', async () => {
    const { config, credentials } = settings();
    createResponse(201, responseResource('PUBLISHED'));

    expect((await reply.publish(config, credentials, TARGET, 'Thanks', ctx)).state).toBe('published');
  });

  test('over 5970 characters is refused before any request', async () => {
    const { config, credentials } = settings();
    expect(await reply.limits(config, credentials, ctx)).toEqual({ maxLength: 5970, unit: 'characters' });

    const error = await reply.publish(config, credentials, TARGET, '😀'.repeat(5971), ctx).catch((caught: unknown) => caught);

    expect((error as ReplyRefused).reason).toBe('too_long');
  });

  test.each([
    [401, 'config', 'credentials.keyId'],
    [403, 'config', 'Customer Support'],
    [429, 'rate_limited', '429'],
    [500, 'transient', '500'],
  ])('App Store Connect answering %i is %s', async (status, kind, says) => {
    const { config, credentials } = settings();
    createResponse(status, { errors: [{ status: String(status), code: 'SYNTHETIC', title: 'Synthetic failure', detail: 'Synthetic failure' }] });

    const error = await connectorFailure(reply.publish(config, credentials, TARGET, 'Thanks', ctx));

    expect(error.kind).toBe(kind);
    expect(error.message).toContain(says);
  });
});

describe('app store reply: current and remove', () => {
  const path = `/v1/customerReviews/${REVIEW_ID}/response`;

  test('the response the review has now, in whatever state', async () => {
    const { config, credentials } = settings();
    nock(CONNECT).get(path).reply(200, responseResource('PENDING_PUBLISH', 'A colleague answered in App Store Connect'));

    expect(await reply.current(config, credentials, TARGET, ctx)).toEqual({
      text: 'A colleague answered in App Store Connect',
      at: new Date('2026-03-02T20:30:02Z'),
      platformReplyId: '00000041-f4ae-4f04-a1d6-0000000000a1',
    });
  });

  test('no response (404, or data null) is null', async () => {
    const { config, credentials } = settings();
    nock(CONNECT).get(path).reply(404, { errors: [{ status: '404', code: 'NOT_FOUND' }] });
    expect(await reply.current(config, credentials, TARGET, ctx)).toBeNull();
    nock(CONNECT).get(path).reply(200, { data: null, links: { self: 'synthetic' } });
    expect(await reply.current(config, credentials, TARGET, ctx)).toBeNull();
  });

  test('removes the response; one already gone is fine', async () => {
    const { config, credentials } = settings();
    const gone = { text: 'x', at: null, platformReplyId: '00000041-f4ae-4f04-a1d6-0000000000a1' };
    const deletion = nock(CONNECT).delete(`/v1/customerReviewResponses/${gone.platformReplyId}`).reply(204);
    await reply.remove!(config, credentials, TARGET, gone, ctx);
    expect(deletion.isDone()).toBe(true);

    nock(CONNECT).delete(`/v1/customerReviewResponses/${gone.platformReplyId}`).reply(404, { errors: [] });
    await reply.remove!(config, credentials, TARGET, gone, ctx);
  });
});
