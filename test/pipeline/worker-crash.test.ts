import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnEarshot } from '../support/child-process.ts';
import { createBusinessAndSource, ingestAndQueue, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, startTarpit, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { workerProcessEnv } from '../support/worker-process.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;

beforeAll(async () => {
  pipeline = await startPipeline();
  smtp = await startRecordingSmtp();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
});

test('a worker killed after the commit and before the email sends it exactly once after restart', async () => {
  const { sourceId } = await createBusinessAndSource(pipeline, ['owner@diner.test']);
  const tarpit = await startTarpit();
  const first = spawnEarshot(['start', '--role', 'worker'], await workerProcessEnv(pipeline, tarpit.url));
  await ingestAndQueue(pipeline, sourceId, [review('crash-1', 1, 'Cold soup, rude waiter, never again.')]);

  // The analysis is committed and the delivery claimed; the email is stuck in a server that never answers.
  const claimed = await waitUntil('the delivery to be claimed', async () =>
    pipeline.db.selectFrom('alert_deliveries').selectAll().where('status', '=', 'sending').executeTakeFirst(),
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nworker output:\n${first.output()}`);
  });
  expect(claimed.recipient).toBe('owner@diner.test');
  await first.kill('SIGKILL');
  await tarpit.stop();
  expect(smtp.messages).toHaveLength(0);

  const second = spawnEarshot(['start', '--role', 'worker'], await workerProcessEnv(pipeline, smtp.url));
  try {
    const [mail] = await smtp.waitFor(1, 40_000);
    expect(mail?.text).toContain('Cold soup, rude waiter');
    // Give a duplicate every chance to appear: more than a lease and a stall check.
    await sleep(5000);
    expect(smtp.messages).toHaveLength(1);
    const delivery = await pipeline.db.selectFrom('alert_deliveries').selectAll().where('id', '=', claimed.id).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('sent');
  } finally {
    await second.kill('SIGTERM');
  }
  expect(second.output()).not.toContain('Error');
});
