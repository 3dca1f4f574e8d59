import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { trustpilot } from '../../connectors/trustpilot/index.ts';
import type { ReplyTarget } from '../../connectors/reply-contract.ts';
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://api.trustpilot.com';
const TOKEN_PATH = '/v1/oauth/oauth-business-users-for-applications/accesstoken';
const UNIT = '4bdc1c7700006400050542e6';
const REVIEW_ID = '65ab00000000000000001002';
const READING = { apiKey: 'synthetic-key-0123456789' };
const REPLYING = { ...READING, apiSecret: 'synthetic-secret', businessUserId: '5f0c0ffee0000000000000bb' };
const TARGET: ReplyTarget = { externalId: REVIEW_ID, url: `https://www.trustpilot.com/reviews/${REVIEW_ID}`, raw: {}, publishedAt: new Date('2026-03-01T09:00:00Z'), hasText: true };

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = trustpilot.reply!;
const parse = (credentials: Record<string, string>) => trustpilot.parseConfig({ businessUnitId: UNIT }, credentials);
const context = () => (ctx = testContext({ platform: 'trustpilot', now: new Date('2026-03-02T12:30:00Z') }));
const basic = `Basic ${Buffer.from('synthetic-key-0123456789:synthetic-secret').toString('base64')}`;

describe('trustpilot reply settings', () => {
  test('reading needs only the API key; the secret and business user come together, for replying', () => {
    expect(parse(READING).credentials).toEqual({ apiKey: READING.apiKey, apiSecret: undefined, businessUserId: undefined });
    expect(parse(REPLYING).credentials).toEqual(REPLYING);
    expect(() => parse({ ...READING, apiSecret: 'synthetic-secret' })).toThrow(/apiSecret and credentials.businessUserId are needed together/);
    expect(trustpilot.credentialsSchema.apiSecret).toMatchObject({ required: false, secret: true });
    expect(trustpilot.credentialsSchema.businessUserId).toMatchObject({ required: false, secret: true });
  });

  test('check() proves the reply credentials when they are given: a refused secret shows at once', async () => {
    const { config, credentials } = parse(REPLYING);
    nock(API).get(`/v1/business-units/${UNIT}/reviews`).query(true).reply(200, { reviews: [], links: [] });
    nock(API).post(TOKEN_PATH, 'grant_type=client_credentials').matchHeader('authorization', basic).reply(401, { fault: { faultstring: 'Invalid client credentials' } });
    const error = await connectorFailure(trustpilot.check(config, credentials, context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('credentials.apiSecret');
  });
});

describe('trustpilot reply', () => {
  test('posts {message, authorBusinessUserId} with a business token from the key and secret', async () => {
    const { config, credentials } = parse(REPLYING);
    nock(API).post(TOKEN_PATH, 'grant_type=client_credentials').matchHeader('authorization', basic).reply(200, { access_token: 'synthetic-business-token', expires_in: '359999' });
    const post = nock(API)
      .post(`/v1/private/reviews/${REVIEW_ID}/reply`, { message: 'Sorry about the wait. Refund sent.', authorBusinessUserId: REPLYING.businessUserId })
      .matchHeader('authorization', 'Bearer synthetic-business-token')
      .reply(201);
    const published = await reply.publish(config, credentials, TARGET, 'Sorry about the wait. Refund sent.', context());
    expect(post.isDone()).toBe(true);
    expect(published).toEqual({ state: 'published', reason: null, platformReplyId: null, at: null, url: TARGET.url });
  });

  test('without the reply credentials nothing is sent, and the error says what to add', async () => {
    const { config, credentials } = parse(READING);
    const error = await connectorFailure(reply.publish(config, credentials, TARGET, 'Thanks', context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('add credentials.apiSecret and credentials.businessUserId');
  });

  test('current() reads the review\'s companyReply with the API key', async () => {
    const { config, credentials } = parse(READING);
    nock(API)
      .get(`/v1/reviews/${REVIEW_ID}`)
      .matchHeader('apikey', READING.apiKey)
      .reply(200, { id: REVIEW_ID, stars: 1, text: 'Slow', companyReply: { text: 'We are on it', createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T11:00:00Z' } });
    expect(await reply.current(config, credentials, TARGET, context())).toEqual({ text: 'We are on it', at: new Date('2026-03-01T11:00:00Z'), platformReplyId: null });
  });

  test('a review that is gone stops the reply instead of retrying', async () => {
    const { config, credentials } = parse(READING);
    nock(API).get(`/v1/reviews/${REVIEW_ID}`).reply(404, { message: 'Not found' });
    const error = await connectorFailure(reply.current(config, credentials, TARGET, context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('no longer on Trustpilot');
  });
});
