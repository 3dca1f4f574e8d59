/**
 * Pub/Sub's connection is a long-poll `:pull`. When the connection drops in the middle of a
 * pull that was carrying messages, Earshot never sees them and never acknowledges them:
 * it pulls again (with its backoff), Pub/Sub delivers them again once their ack deadline
 * passes, and each review is stored and alerted exactly once.
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

async function items() {
  return pipeline.db.selectFrom('items').select(['external_id', 'flagged']).where('source_id', '=', sourceId).orderBy('external_id').execute();
}

beforeAll(async () => {
  google = await startFakeGooglePubsub({ ackDeadlineMs: 2000 });
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Harbour Grill', alertEmails: ['owner@harbour.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, google.source({ topic: false }));
  expect(source.status).toBe(201);
  sourceId = source.body.id;
  pipeline.startWorkers();
  await waitUntil('the stream to connect', async () => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health.stream?.state === 'connected');
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  await google.stop();
});

test('a pull cut off mid-request loses nothing and doubles nothing: the messages come again and each review is stored and alerted once', async () => {
  google.dropPullsWithMessages = 1;
  for (const [reviewId, comment] of [
    ['dropped-1', 'Waited an hour and the food was cold. Terrible.'],
    ['dropped-2', 'Rude staff, dirty tables, never again.'],
    ['dropped-3', 'Awful service and a wrong order.'],
  ] as const) {
    google.publishReview({ reviewId, stars: 'ONE', comment });
  }
  await waitUntil('the three reviews', async () => (await items()).length === 3, 30_000);
  await waitUntil('every message acknowledged', async () => google.unacked() === 0, 30_000);
  expect(google.dropPullsWithMessages).toBe(0);
  // At least one message was handed out twice: once in the pull that was cut, once after its deadline.
  expect(Math.max(...Object.values(google.deliveries()))).toBeGreaterThanOrEqual(2);
  await pipeline.idle();
  expect((await items()).map((item) => [item.external_id, item.flagged])).toEqual([
    ['dropped-1', true],
    ['dropped-2', true],
    ['dropped-3', true],
  ]);
  await smtp.waitFor(3);
  await sleep(500);
  expect(smtp.messages).toHaveLength(3);
}, 60_000);
