/**
 * One leader per stream across worker processes: two real workers run, only one
 * connects to Jetstream; SIGKILL it, and the other takes the stream over within the
 * lease and resumes from the committed cursor, losing nothing.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REWIND_US } from '../../connectors/bluesky/jetstream.ts';
import { LEASE_MS } from '../../services/streams/stream-lease.ts';
import { spawnEarshot, type EarshotProcess } from '../support/child-process.ts';
import { startFakeBluesky, type FakeBluesky, type FakePost } from '../support/fake-bluesky.ts';
import { startPipeline, TEST_SECRET, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let pipeline: Pipeline;
let sourceId: string;
const workers: EarshotProcess[] = [];

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  pipeline = await startPipeline({ EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Blue Fern Cafe'], baseUrl: bluesky.url },
    credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  sourceId = source.body.id;
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await pipeline.stop();
  await bluesky.stop();
});

async function startWorker(): Promise<EarshotProcess> {
  const worker = spawnEarshot(['start', '--role', 'worker'], {
    DATABASE_URL: pipeline.dbUrl,
    REDIS_URL: pipeline.redisUrl,
    QUEUE_PREFIX: pipeline.config.queuePrefix,
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: await mkdtemp(path.join(pipeline.config.dataDir, 'worker-')),
    BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl,
    EARSHOT_ALLOW_PRIVATE_URLS: 'true',
    LOG_LEVEL: 'warn',
  });
  workers.push(worker);
  return worker;
}

async function storedIds(): Promise<string[]> {
  const rows = await pipeline.db.selectFrom('items').select('external_id').where('source_id', '=', sourceId).orderBy('external_id').execute();
  return rows.map((row) => row.external_id);
}

async function streamRow() {
  return pipeline.db.selectFrom('stream_cursors').selectAll().where('stream', '=', 'bluesky_jetstream').executeTakeFirstOrThrow();
}

function leaderPid(leader: string | null): number {
  // The lease token is host:pid:attempt.
  return Number(leader?.split(':').at(-2));
}

test('only one worker holds the stream; SIGKILLed, it is replaced within the lease, resuming from the cursor', async () => {
  const [first, second] = [await startWorker(), await startWorker()];
  const output = () => `first worker:\n${first.output()}\nsecond worker:\n${second.output()}`;
  await waitUntil('a worker to connect to Jetstream', async () => bluesky.connections.length === 1, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  // Longer than a renewal and a retry of the other worker: it still waits its turn.
  await sleep(7000);
  expect(bluesky.connections).toHaveLength(1);
  expect(bluesky.maxOpen()).toBe(1);

  const before: FakePost[] = [bluesky.post('Blue Fern Cafe: first post'), bluesky.post('Blue Fern Cafe: second post, cold coffee')];
  await waitUntil('the first posts to be stored', async () => (await storedIds()).length === 2);
  const row = await waitUntil('the cursor to pass them', async () => {
    const current = await streamRow();
    return typeof current.cursor === 'number' && current.cursor >= before[1]!.timeUs ? current : undefined;
  });
  const leader = [first, second].find((worker) => worker.child.pid === leaderPid(row.leader));
  const follower = [first, second].find((worker) => worker !== leader);
  expect(leader).toBeDefined();

  await leader!.kill('SIGKILL');
  const killedAt = Date.now();
  // Published while no worker leads: only the next leader's replay from the cursor brings these.
  const during = [bluesky.post('Blue Fern Cafe: posted while nobody listened'), bluesky.post('Blue Fern Cafe: and another one')];

  await waitUntil('the other worker to take the stream over', async () => bluesky.connections.length === 2, 40_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  expect(bluesky.connections[1]!.at - killedAt).toBeLessThanOrEqual(30_000);
  expect(bluesky.connections[1]!.at - killedAt).toBeLessThanOrEqual(LEASE_MS + 10_000);
  expect(bluesky.connections[1]!.cursor).toBe((row.cursor as number) - REWIND_US);
  expect(bluesky.maxOpen()).toBe(1);

  const after = bluesky.post('Blue Fern Cafe: after the takeover');
  const expected = [...before, ...during, after].map(bluesky.uriOf).sort();
  await waitUntil('every post to be stored', async () => (await storedIds()).length === expected.length);
  expect(await storedIds()).toEqual(expected);
  expect(leaderPid((await streamRow()).leader)).toBe(follower!.child.pid);

  expect(await follower!.kill('SIGTERM')).toBe(0);
  // Stopped gracefully, the last leader gives the stream up: down, no one behind it, cursor kept.
  expect(await streamRow()).toMatchObject({ state: 'down', leader: null, cursor: after.timeUs });
  expect(follower!.output()).not.toContain('Error');
}, 120_000);
