import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnEarshot } from '../support/child-process.ts';
import { placeDetails } from '../support/google-places-payload.ts';
import { createBusinessAndSource } from '../support/items.ts';
import { startPipeline, TEST_SECRET, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

test('two schedulers running at once poll each due source once per slot', async () => {
  const placeIds = ['place-a', 'place-b', 'place-c', 'place-d', 'place-e'];
  const sourceIds: string[] = [];
  const requests = new Map<string, number>();
  for (const placeId of placeIds) {
    sourceIds.push((await createBusinessAndSource(pipeline, ['o@x.test'], placeId)).sourceId);
    // Each place answers any number of times, counting: a second poll would show up here.
    nock('https://places.googleapis.com')
      .get(`/v1/places/${placeId}`)
      .times(10)
      .reply(200, () => {
        requests.set(placeId, (requests.get(placeId) ?? 0) + 1);
        return placeDetails(placeId, [{ id: `${placeId}-r1`, rating: 4, text: 'Good coffee.', author: 'A', hoursAgo: 2 }]);
      });
  }
  const env = {
    DATABASE_URL: pipeline.dbUrl,
    REDIS_URL: pipeline.redisUrl,
    QUEUE_PREFIX: pipeline.config.queuePrefix,
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: await mkdtemp(path.join(pipeline.config.dataDir, 'scheduler-')),
    SCHEDULER_TICK_SECONDS: '1',
    LOG_LEVEL: 'warn',
  };
  const schedulers = [spawnEarshot(['start', '--role', 'scheduler'], env), spawnEarshot(['start', '--role', 'scheduler'], env)];
  try {
    // Both tick several times over the same due sources before anything polls them.
    await waitUntil('the schedulers to queue the due sources', async () => (await pipeline.queues.poll.getWaitingCount()) >= placeIds.length, 30_000);
    await sleep(3000);
    const waiting = await pipeline.queues.poll.getWaiting();
    expect(waiting).toHaveLength(placeIds.length);
    expect(new Set(waiting.map((job) => job.data.sourceId))).toEqual(new Set(sourceIds));

    // Workers start while the schedulers keep ticking.
    pipeline.startWorkers();
    await waitUntil('every source to be polled', async () => {
      const rows = await pipeline.db.selectFrom('sources').select('last_success_at').execute();
      return rows.every((r) => r.last_success_at !== null);
    });
    await sleep(3000);
    await pipeline.idle();
  } finally {
    for (const scheduler of schedulers) expect(await scheduler.kill('SIGTERM')).toBe(0);
  }
  expect(Object.fromEntries(requests)).toEqual(Object.fromEntries(placeIds.map((id) => [id, 1])));
  const polled = await pipeline.db.selectFrom('sources').select(['next_poll_at', 'last_polled_at']).execute();
  for (const row of polled) expect(row.next_poll_at.getTime()).toBeGreaterThan(Date.now());
});
