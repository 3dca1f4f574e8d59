/**
 * Google Business Profile notifications end to end, on loopback: a server speaking
 * Cloud Pub/Sub pull and acknowledge, the My Business Notifications API and the Business
 * Profile reviews API feeds the real workers. Earshot sets the account's notification
 * setting to the source's topic, pulls the source's subscription, reads each notified
 * review with reviews.get, stores, judges and alerts it once, and acknowledges a message
 * only once its review is committed; an edit is a revision; messages for other locations
 * and unreadable ones are acknowledged and skipped; a later poll adds nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeGooglePubsub, type FakeGooglePubsub } from '../support/fake-google-pubsub.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let google: FakeGooglePubsub;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let sourceId: string;
let pollOnlyId: string;

const health = async () => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

async function items() {
  return pipeline.db.selectFrom('items').select(['id', 'external_id', 'body', 'rating', 'flagged', 'announced_at']).where('source_id', '=', sourceId).orderBy('external_id').execute();
}

async function revisions(): Promise<number> {
  return (await pipeline.db.selectFrom('item_events').select('id').where('type', '=', 'revised').execute()).length;
}

beforeAll(async () => {
  google = await startFakeGooglePubsub();
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, google.source({ topic: true }));
  expect(source.status).toBe(201);
  sourceId = source.body.id;
  // Another location of the account, without a subscription: polled only.
  const { config, credentials } = google.source({ topic: false });
  const pollOnly = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'google_business',
    config: { accountId: config.accountId, locationId: '4444', baseUrl: config.baseUrl, tokenBaseUrl: config.tokenBaseUrl },
    credentials,
  });
  expect(pollOnly.status).toBe(201);
  pollOnlyId = pollOnly.body.id;
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  await google.stop();
});

test('Earshot points the account’s notification setting at the source’s topic', async () => {
  await waitUntil('the notification setting', async () => google.notificationSettings.length > 0);
  expect(google.notificationSettings[0]).toEqual({
    path: `/v1/accounts/${google.accountId}/notificationSetting`,
    updateMask: 'notificationTypes,pubsubTopic',
    body: { name: `accounts/${google.accountId}/notificationSetting`, pubsubTopic: google.topic, notificationTypes: ['NEW_REVIEW', 'UPDATED_REVIEW'] },
  });
  await waitUntil('the stream to connect', async () => (await health()).stream?.state === 'connected');
  // A source naming no subscription shows no stream, though it reads the same API.
  expect((await pipeline.api('GET', `/v1/sources/${pollOnlyId}`)).body.health.stream).toBeNull();
});

test('a NEW_REVIEW is stored, flagged and alerted once, and acknowledged only after it is committed', async () => {
  const storedAtAck: boolean[] = [];
  google.beforeAcknowledge = async () => {
    storedAtAck.push((await items()).some((item) => item.external_id === 'review-bad'));
    return true;
  };
  const published = Date.now();
  google.publishReview({ reviewId: 'review-bad', stars: 'ONE', comment: 'Cold soup, a rude waiter and a forty minute wait. Never again.' });
  await waitUntil('the review', async () => (await items()).length === 1);
  await waitUntil('the acknowledgement', async () => google.unacked() === 0);
  expect(storedAtAck).toEqual([true]);
  expect(google.reviewGets).toEqual(['review-bad']);
  await pipeline.idle();
  const [stored] = await items();
  expect(stored).toMatchObject({ external_id: 'review-bad', rating: 1, flagged: true });
  // Latency counts from Pub/Sub's publishTime.
  expect(stored!.announced_at!.getTime()).toBeGreaterThanOrEqual(published - 1000);
  expect(stored!.announced_at!.getTime()).toBeLessThanOrEqual(Date.now());
  const [mail] = await smtp.waitFor(1);
  expect(mail?.text).toContain('Cold soup, a rude waiter');
  await sleep(500);
  expect(smtp.messages).toHaveLength(1);
  expect((await health()).stream).toEqual({ state: 'connected', lastEventAt: expect.any(String), lagSeconds: expect.any(Number) });
  google.beforeAcknowledge = null;
});

test('an UPDATED_REVIEW is a revision', async () => {
  google.publishReview({ reviewId: 'review-bad', stars: 'TWO', comment: 'Cold soup and a rude waiter, though they apologised.' }, 'UPDATED_REVIEW');
  await waitUntil('the revision', async () => (await items())[0]?.body.includes('apologised'));
  await waitUntil('the acknowledgement', async () => google.unacked() === 0);
  expect(await items()).toHaveLength(1);
  expect((await items())[0]?.rating).toBe(2);
  expect(await revisions()).toBe(1);
});

test('a notification for another location, another type or unreadable data is acknowledged and skipped, and the subscription goes on', async () => {
  const gets = google.reviewGets.length;
  const other = Buffer.from(JSON.stringify({ type: 'NEW_REVIEW', reviewName: `accounts/${google.accountId}/locations/5555/reviews/elsewhere`, locationName: `accounts/${google.accountId}/locations/5555` })).toString('base64');
  google.publishRaw(other);
  google.publishRaw(Buffer.from(JSON.stringify({ type: 'GOOGLE_UPDATE', locationName: `accounts/${google.accountId}/locations/${google.locationId}` })).toString('base64'));
  google.publishRaw('this is not base64 JSON at all');
  google.publishReview({ reviewId: 'review-good', stars: 'FIVE', comment: 'Lovely pancakes, friendly staff.' });
  await waitUntil('the review after them', async () => (await items()).length === 2);
  await waitUntil('every message acknowledged', async () => google.unacked() === 0);
  // Only the review of the watched location was looked up.
  expect(google.reviewGets.slice(gets)).toEqual(['review-good']);
});

test('a later poll of the same reviews adds nothing', async () => {
  await pipeline.idle();
  const before = await items();
  const revisedBefore = await revisions();
  const mailsBefore = smtp.messages.length;
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll', async () => (await health()).lastSuccessAt ?? undefined);
  // The poll read both reviews.
  expect(google.reviewLists).toBeGreaterThan(0);
  await pipeline.idle();
  expect((await items()).map((item) => [item.id, item.external_id, item.body])).toEqual(before.map((item) => [item.id, item.external_id, item.body]));
  expect(await revisions()).toBe(revisedBefore);
  await sleep(500);
  expect(smtp.messages).toHaveLength(mailsBefore);
});
