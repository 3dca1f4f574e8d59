import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import { replyState } from '../../connectors/google-business/reply-state.ts';
import type { ReplyTarget } from '../../connectors/reply-contract.ts';
import token from '../fixtures/google-business/token.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://mybusiness.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const REVIEW = '/v4/accounts/1122334455/locations/9988776655/reviews/AbFvOqSyntheticReview1';
const CREDENTIALS = { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-SyntheticSecret000', refreshToken: '1//0gSyntheticRefreshToken' };
const TARGET: ReplyTarget = { externalId: 'AbFvOqSyntheticReview1', url: null, raw: {}, publishedAt: new Date('2026-03-01T09:00:00Z'), hasText: true };

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = googleBusiness.reply!;
const { config, credentials } = googleBusiness.parseConfig({ accountId: '1122334455', locationId: '9988776655' }, CREDENTIALS);
const context = () => (ctx = testContext({ platform: 'google_business', now: new Date('2026-03-02T12:30:00Z') }));
const tokenOk = () => nock(OAUTH).post('/token').reply(200, token);

describe('google_business reply', () => {
  test('PUTs {comment} to the review\'s reply with the access token, and reads the time Google took it', async () => {
    tokenOk();
    const put = nock(API)
      .put(`${REVIEW}/reply`, { comment: 'Thank you, Rosalind: we have fixed the chain guard.' })
      .matchHeader('authorization', `Bearer ${token.access_token}`)
      .reply(200, { comment: 'Thank you, Rosalind: we have fixed the chain guard.', updateTime: '2026-03-02T12:30:01Z', reviewReplyState: 'APPROVED' });
    const published = await reply.publish(config, credentials, TARGET, 'Thank you, Rosalind: we have fixed the chain guard.', context());
    expect(put.isDone()).toBe(true);
    expect(published).toEqual({ state: 'published', reason: null, platformReplyId: null, at: new Date('2026-03-02T12:30:01Z'), url: null });
  });

  test('when the answer to the PUT has no moderation state, the review tells it, with the link to the reply', async () => {
    tokenOk();
    nock(API).put(`${REVIEW}/reply`).reply(200, { comment: 'Thanks', updateTime: '2026-03-02T12:30:01Z' });
    nock(API)
      .get(REVIEW)
      .reply(200, { reviewId: 'AbFvOqSyntheticReview1', reviewReply: { comment: 'Thanks', reviewReplyState: 'PENDING' }, reviewReplyUrl: 'https://search.google.com/local/reviews?synthetic=1' });
    expect(await reply.publish(config, credentials, TARGET, 'Thanks', context())).toMatchObject({ state: 'pending_moderation', url: 'https://search.google.com/local/reviews?synthetic=1' });
  });

  test('the reply is taken even when the review cannot be read after it: published, as Google answered', async () => {
    tokenOk();
    nock(API).put(`${REVIEW}/reply`).reply(200, { comment: 'Thanks', updateTime: '2026-03-02T12:30:01Z' });
    nock(API).get(REVIEW).reply(503, { error: { code: 503, status: 'UNAVAILABLE' } });
    expect(await reply.publish(config, credentials, TARGET, 'Thanks', context())).toMatchObject({ state: 'published', at: new Date('2026-03-02T12:30:01Z') });
  });

  test('a review Google no longer has stops the reply with plain words, not a retry', async () => {
    tokenOk();
    nock(API).get(REVIEW).reply(404, { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' } });
    const error = await connectorFailure(reply.current(config, credentials, TARGET, context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('no longer on Google');
  });

  test('403 on the PUT says the location must be verified and managed by the account', async () => {
    tokenOk();
    nock(API).put(`${REVIEW}/reply`).reply(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } });
    const error = await connectorFailure(reply.publish(config, credentials, TARGET, 'Thanks', context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('verified locations');
  });

  test('counts bytes: 2049 two-byte letters are refused though they are far fewer than 4096 characters', async () => {
    await expect(reply.publish(config, credentials, TARGET, 'é'.repeat(2049), context())).rejects.toMatchObject({ name: 'ReplyRefused', reason: 'too_long', message: expect.stringContaining('4098 bytes') });
  });
});

describe('google_business reply moderation', () => {
  test('a reply without a state is published; PENDING is pending moderation', () => {
    expect(replyState({ comment: 'Thanks' })).toEqual({ state: 'published', reason: null });
    expect(replyState({ comment: 'Thanks', reviewReplyState: 'APPROVED' })).toEqual({ state: 'published', reason: null });
    expect(replyState({ comment: 'Thanks', reviewReplyState: 'PENDING' })).toEqual({ state: 'pending_moderation', reason: null });
    expect(replyState({ comment: 'Thanks', state: 'PENDING_REVIEW' })).toEqual({ state: 'pending_moderation', reason: null });
  });

  test('REJECTED carries the policy violation, in words whichever shape Google sends it in', () => {
    expect(replyState({ reviewReplyState: 'REJECTED', policyViolation: { description: 'Contains a phone number' } })).toEqual({ state: 'rejected', reason: 'Contains a phone number' });
    expect(replyState({ reviewReplyState: 'REJECTED', policyViolation: 'PERSONAL_INFORMATION' }).reason).toBe('Google rejected the reply under its content policy: personal information.');
    expect(replyState({ reviewReplyState: 'REJECTED' }).reason).toBe('Google rejected the reply under its content policy.');
  });
});
