/**
 * A Pub/Sub message is acknowledged only after its review is committed: a worker
 * SIGKILLed before the commit, or after it but before the acknowledgement, leaves the
 * message in the subscription; Pub/Sub delivers it again after its ack deadline, the
 * next leader stores it, and the review is stored and alerted once.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnEarshot, type EarshotProcess } from '../support/child-process.ts';
import { startFakeGooglePubsub, type FakeGooglePubsub } from '../support/fake-google-pubsub.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { workerProcessEnv } from '../support/worker-process.ts';

let google: FakeGooglePubsub;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let sourceId: string;
const workers: EarshotProcess[] = [];

beforeAll(async () => {
  google = await startFakeGooglePubsub({ ackDeadlineMs: 3000 });
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, google.source({ topic: false }));
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await pipeline.stop();
  await google.stop();
  await smtp.stop();
});

async function startWorker(): Promise<EarshotProcess> {
  const worker = spawnEarshot(['start', '--role', 'worker'], { ...(await workerProcessEnv(pipeline, smtp.url)), EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  workers.push(worker);
  return worker;
}

async function stored() {
  return pipeline.db.selectFrom('items').select(['external_id', 'flagged']).where('source_id', '=', sourceId).orderBy('external_id').execute();
}

/** A gate the fake server waits at until the test opens it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

test('killed before the commit: the message comes again and its review is stored once', async () => {
  const first = await startWorker();
  const held = gate();
  google.beforeReviewGet = async (reviewId) => {
    if (reviewId === 'review-killed') await held.wait;
  };
  google.publishReview({ reviewId: 'review-killed', stars: 'ONE', comment: 'Cold soup and a rude waiter. Never again.' });
  await waitUntil('the worker to read the review', async () => google.reviewGets.includes('review-killed'), 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${first.output()}`);
  });
  await first.kill('SIGKILL');
  held.open();
  google.beforeReviewGet = null;
  expect(await stored()).toEqual([]);
  expect(google.unacked()).toBe(1);

  const second = await startWorker();
  // The dead worker's lease runs out, then the message's ack deadline: it is pulled again.
  await waitUntil('the review', async () => (await stored()).length === 1, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${second.output()}`);
  });
  await waitUntil('the acknowledgement', async () => google.unacked() === 0, 30_000);
  expect(Object.values(google.deliveries())[0]).toBeGreaterThanOrEqual(2);
  await smtp.waitFor(1, 30_000);
  expect(await stored()).toEqual([{ external_id: 'review-killed', flagged: true }]);
  await sleep(1000);
  expect(smtp.messages).toHaveLength(1);
});

test('killed after the commit, before the acknowledgement: the message comes again and changes nothing', async () => {
  const leader = workers.at(-1)!;
  const held = gate();
  let holding = false;
  google.beforeAcknowledge = async () => {
    holding = true;
    await held.wait;
    // The worker died waiting: its acknowledgement never arrived.
    return false;
  };
  google.publishReview({ reviewId: 'review-unacked', stars: 'ONE', comment: 'Burnt toast and nobody cared.' });
  await waitUntil('the acknowledgement to be sent', async () => holding, 30_000);
  // It was committed before the acknowledgement was sent.
  expect((await stored()).map((item) => item.external_id)).toEqual(['review-killed', 'review-unacked']);
  await leader.kill('SIGKILL');
  google.beforeAcknowledge = null;
  held.open();
  const deliveredBefore = google.deliveries()['2']!;

  await startWorker();
  await waitUntil('the message to be delivered again and acknowledged', async () => google.unacked() === 0, 60_000);
  expect(google.deliveries()['2']).toBeGreaterThan(deliveredBefore);
  expect((await stored()).map((item) => item.external_id)).toEqual(['review-killed', 'review-unacked']);
  await smtp.waitFor(2, 30_000);
  await sleep(1000);
  expect(smtp.messages).toHaveLength(2);
  const revised = await pipeline.db.selectFrom('item_events').select('type').where('type', '=', 'revised').execute();
  expect(revised).toEqual([]);
});
