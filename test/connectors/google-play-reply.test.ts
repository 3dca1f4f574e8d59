import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googlePlay } from '../../connectors/google-play/index.ts';
import type { ReplyTarget } from '../../connectors/reply-contract.ts';
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://androidpublisher.googleapis.com';
const PACKAGE = 'com.example.synthnotes';
const REVIEW = `/androidpublisher/v3/applications/${PACKAGE}/reviews/gp%3AAOqpTOSynthetic`;
const NOW = new Date('2026-03-09T12:00:00Z');
const DAY = 24 * 3600_000;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccountJson = JSON.stringify({
  type: 'service_account',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'replies@synthetic-project.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.googleapis.com/token',
});

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = googlePlay.reply!;
const { config, credentials } = googlePlay.parseConfig({ packageName: PACKAGE }, { serviceAccountJson });
const context = () => (ctx = testContext({ platform: 'google_play', now: NOW }));
const target = (ageDays: number, hasText = true): ReplyTarget => ({ externalId: 'gp:AOqpTOSynthetic', url: null, raw: {}, publishedAt: new Date(NOW.getTime() - ageDays * DAY), hasText });
const tokenOk = () => nock('https://oauth2.googleapis.com').post('/token').reply(200, { access_token: 'synthetic-play-token', expires_in: 3599, token_type: 'Bearer' });

describe('google_play reply: what Google takes', () => {
  test('reviews of the last 7 days with text are accepted', () => {
    expect(() => reply.checkTarget!(target(6.9), NOW)).not.toThrow();
  });

  test('an older review is refused before the undo window, saying to use Play Console', () => {
    expect(() => reply.checkTarget!(target(8), NOW)).toThrow(expect.objectContaining({ name: 'ReplyRefused', reason: 'not_allowed', message: expect.stringContaining('last 7 days') }));
  });

  test('a rating without words is refused', () => {
    expect(() => reply.checkTarget!(target(1, false), NOW)).toThrow(expect.objectContaining({ reason: 'not_allowed', message: expect.stringContaining('with text') }));
  });

  test('350 characters, counted as characters: 350 emoji pass the length check, 351 letters do not', async () => {
    expect(await reply.limits(config, credentials, context())).toEqual({ maxLength: 350, unit: 'characters' });
    await expect(reply.publish(config, credentials, target(1), 'a'.repeat(351), context())).rejects.toMatchObject({ reason: 'too_long' });
  });
});

describe('google_play reply', () => {
  test('POSTs {replyText} to the review\'s :reply and reads when it took effect', async () => {
    tokenOk();
    const text = '😀'.repeat(350);
    const post = nock(API)
      .post(`${REVIEW}:reply`, { replyText: text })
      .matchHeader('authorization', 'Bearer synthetic-play-token')
      .reply(200, { result: { replyText: text, lastEdited: { seconds: String(NOW.getTime() / 1000), nanos: 0 } } });
    const published = await reply.publish(config, credentials, target(1), text, context());
    expect(post.isDone()).toBe(true);
    expect(published).toMatchObject({ state: 'published', reason: null, at: NOW });
  });

  test('current() reads the developerComment of reviews.get', async () => {
    tokenOk();
    nock(API)
      .get(REVIEW)
      .reply(200, {
        reviewId: 'gp:AOqpTOSynthetic',
        authorName: 'Invented Person',
        comments: [{ userComment: { text: 'Crashes on start', starRating: 1, lastModified: { seconds: '1772800000' } } }, { developerComment: { text: 'Fixed in 2.1', lastModified: { seconds: '1772900000' } } }],
      });
    expect(await reply.current(config, credentials, target(1), context())).toEqual({ text: 'Fixed in 2.1', at: new Date(1772900000 * 1000), platformReplyId: null });
  });

  test('403 says which Play Console permission the service account lacks', async () => {
    tokenOk();
    nock(API).post(`${REVIEW}:reply`).reply(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } });
    const error = await connectorFailure(reply.publish(config, credentials, target(1), 'Thanks', context()));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('Reply to reviews');
  });
});
