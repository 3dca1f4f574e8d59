import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import { readPulledMessages, readReviewNotification } from '../../connectors/google-business/pubsub-message.ts';
import { googlePubsubStream } from '../../connectors/google-business/pubsub-stream.ts';
import page1 from '../fixtures/google-business/reviews-page-1.json' with { type: 'json' };
import token from '../fixtures/google-business/token.json' with { type: 'json' };
import { connectorFailure, silentLog, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://mybusiness.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const NOTIFICATIONS = 'https://mybusinessnotifications.googleapis.com';
const REVIEWS = '/v4/accounts/1122334455/locations/9988776655/reviews';
const CREDENTIALS = { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-SyntheticSecret000', refreshToken: '1//0gSyntheticRefreshToken' };
const TOPIC = 'projects/my-project/topics/business-reviews';
const SUBSCRIPTION = 'projects/my-project/subscriptions/earshot-reviews';

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const data = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const message = (notification: unknown, publishTime = '2026-12-07T09:15:02.123Z') => ({ data: data(notification), messageId: '1', publishTime, attributes: {} });
const REVIEW = 'accounts/1122334455/locations/9988776655/reviews/AbC-123';

describe('review notifications', () => {
  test.each([
    ['reviewName / locationName (the reference)', { type: 'NEW_REVIEW', reviewName: REVIEW, locationName: 'accounts/1122334455/locations/9988776655' }],
    ['review_name (the v1 notes)', { type: 'NEW_REVIEW', review_name: REVIEW }],
    ['review / location', { type: 'NEW_REVIEW', review: REVIEW, location: 'accounts/1122334455/locations/9988776655' }],
  ])('name the review by %s', (_, notification) => {
    expect(readReviewNotification(message(notification))).toEqual({
      type: 'NEW_REVIEW',
      accountId: '1122334455',
      locationId: '9988776655',
      reviewId: 'AbC-123',
      publishedAt: new Date('2026-12-07T09:15:02.123Z'),
    });
  });

  test('an UPDATED_REVIEW is read as one; other types are nothing to store', () => {
    expect(readReviewNotification(message({ type: 'UPDATED_REVIEW', reviewName: REVIEW }))?.type).toBe('UPDATED_REVIEW');
    expect(readReviewNotification(message({ type: 'GOOGLE_UPDATE', locationName: 'accounts/1/locations/2' }))).toBeNull();
    expect(readReviewNotification(message({ type: 'NEW_QUESTION', question: 'accounts/1/locations/2/questions/3' }))).toBeNull();
  });

  test.each([
    [{ messageId: '1' }, 'the message has no data'],
    [{ data: Buffer.from('not json').toString('base64') }, 'not base64 JSON'],
    [{ data: data(['NEW_REVIEW']) }, 'not a JSON object'],
    [{ data: data({ reviewName: REVIEW }) }, 'has no "type"'],
    [{ data: data({ type: 'NEW_REVIEW', reviewName: 'reviews/AbC-123' }) }, 'names no review'],
  ])('%j is unreadable', (received, problem) => {
    expect(() => readReviewNotification(received)).toThrow(problem);
  });

  test('a pull answers {} when nothing waits, and each message with its ackId', () => {
    expect(readPulledMessages({})).toEqual([]);
    const received = { ackId: 'ack-1', message: message({ type: 'NEW_REVIEW', reviewName: REVIEW }) };
    expect(readPulledMessages({ receivedMessages: [received] })).toEqual([received]);
    expect(() => readPulledMessages({ receivedMessages: [{ message: received.message }] })).toThrow('receivedMessages[0] has no "ackId"');
    expect(() => readPulledMessages({ receivedMessages: 'none' })).toThrow('"receivedMessages" is not a list');
  });
});

describe('connections', () => {
  const source = (id: string, config: Record<string, unknown>) => ({ id, config: { accountId: '1122334455', ...config }, credentials: CREDENTIALS });

  test('one per subscription, shared by the sources naming it; sources without one are only polled', () => {
    const connections = googlePubsubStream.connections!(
      [
        source('a', { locationId: '1', pubsubSubscription: SUBSCRIPTION }),
        source('b', { locationId: '2', pubsubSubscription: SUBSCRIPTION }),
        source('c', { locationId: '3', pubsubSubscription: 'projects/my-project/subscriptions/other' }),
        source('d', { locationId: '4' }),
      ],
      silentLog,
    );
    expect(connections.map(({ key, endpoint, sourceIds }) => ({ key, endpoint, sourceIds }))).toEqual([
      { key: `${SUBSCRIPTION}@${API}`, endpoint: 'https://pubsub.googleapis.com', sourceIds: ['a', 'b'] },
      { key: `projects/my-project/subscriptions/other@${API}`, endpoint: 'https://pubsub.googleapis.com', sourceIds: ['c'] },
    ]);
  });

  test('a review goes to the sources of its location only', () => {
    const watched = googlePubsubStream.watch([source('a', { locationId: '1', pubsubSubscription: SUBSCRIPTION }), source('b', { locationId: '2', pubsubSubscription: SUBSCRIPTION })], silentLog);
    const item = { externalId: 'r1' } as never;
    const delivery = googlePubsubStream.route(
      [
        { cursor: 'ack-1', announcedAt: new Date(), payload: { location: '1122334455/2', item } },
        { cursor: 'ack-2', announcedAt: new Date(), payload: { location: '1122334455/2', removedReviewId: 'r0' } },
      ],
      watched,
    );
    expect(delivery).toEqual({ items: [{ sourceId: 'b', item }], removed: ['r0'] });
  });
});

describe('the notification setting', () => {
  const settings = googleBusiness.parseConfig({ accountId: 'accounts/1122334455', locationId: '9988776655', pubsubTopic: TOPIC }, CREDENTIALS);

  test('check() points the account’s notifications at the topic, for new and edited reviews', async () => {
    nock(OAUTH).post('/token').reply(200, token);
    nock(API).get(REVIEWS).query(true).reply(200, page1);
    const patch = nock(NOTIFICATIONS)
      .patch('/v1/accounts/1122334455/notificationSetting', { name: 'accounts/1122334455/notificationSetting', pubsubTopic: TOPIC, notificationTypes: ['NEW_REVIEW', 'UPDATED_REVIEW'] })
      .query({ updateMask: 'notificationTypes,pubsubTopic' })
      .matchHeader('authorization', `Bearer ${token.access_token}`)
      .reply(200, { name: 'accounts/1122334455/notificationSetting', pubsubTopic: TOPIC, notificationTypes: ['NEW_REVIEW', 'UPDATED_REVIEW'] });
    ctx = testContext({ platform: 'google_business' });
    await googleBusiness.check(settings.config, settings.credentials, ctx);
    expect(patch.isDone()).toBe(true);
  });

  test('a refusal is a config error saying what to fix', async () => {
    nock(OAUTH).post('/token').reply(200, token);
    nock(API).get(REVIEWS).query(true).reply(200, page1);
    nock(NOTIFICATIONS)
      .patch('/v1/accounts/1122334455/notificationSetting')
      .query(true)
      .reply(403, { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } });
    ctx = testContext({ platform: 'google_business' });
    const failure = await connectorFailure(googleBusiness.check(settings.config, settings.credentials, ctx));
    expect(failure.kind).toBe('config');
    expect(failure.message).toContain('enable the My Business Notifications API');
    expect(failure.message).toContain('mybusiness-api-pubsub@system.gserviceaccount.com');
  });
});
