/**
 * One leader per Mastodon connection across worker processes: two real workers run,
 * only one connects to the instance; SIGKILL it, and the other takes the connection
 * over within the lease and, Mastodon keeping no replay, polls the source for what was
 * posted while no one listened, losing nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LEASE_MS } from '../../services/streams/stream-lease.ts';
import { spawnEarshot, type EarshotProcess } from '../support/child-process.ts';
import { startFakeMastodon, type FakeMastodon, type FakeStatus } from '../support/fake-mastodon.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { workerProcessEnv } from '../support/worker-process.ts';

let instance: FakeMastodon;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let sourceId: string;
const workers: EarshotProcess[] = [];

beforeAll(async () => {
  instance = await startFakeMastodon();
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, { type: 'mastodon', config: { instanceUrl: instance.url, hashtags: ['bluefern'] } });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await pipeline.stop();
  await instance.stop();
  await smtp.stop();
});

async function startWorker(): Promise<EarshotProcess> {
  // The fake instance listens on loopback.
  const worker = spawnEarshot(['start', '--role', 'worker'], { ...(await workerProcessEnv(pipeline, smtp.url)), EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  workers.push(worker);
  return worker;
}

async function storedIds(): Promise<string[]> {
  const rows = await pipeline.db.selectFrom('items').select('external_id').where('source_id', '=', sourceId).orderBy('external_id').execute();
  return rows.map((row) => row.external_id);
}

async function streamRow() {
  return pipeline.db.selectFrom('stream_cursors').selectAll().where('stream', '=', `mastodon:${instance.url}`).executeTakeFirstOrThrow();
}

function leaderPid(leader: string | null): number {
  // The lease token is host:pid:attempt.
  return Number(leader?.split(':').at(-2));
}

test('only one worker holds the instance’s connection; SIGKILLed, it is replaced within the lease, and the gap is polled', async () => {
  const [first, second] = [await startWorker(), await startWorker()];
  const output = () => `first worker:\n${first.output()}\nsecond worker:\n${second.output()}`;
  await waitUntil('a worker to subscribe', async () => instance.connections[0]?.subscriptions.length === 1, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  // Longer than a renewal and a retry of the other worker: it still waits its turn.
  await sleep(7000);
  expect(instance.connections).toHaveLength(1);
  expect(instance.maxOpen()).toBe(1);

  const before: FakeStatus[] = [instance.post('First post', { hashtags: ['bluefern'] }), instance.post('Second post, cold coffee', { hashtags: ['bluefern'] })];
  await waitUntil('the first posts to be stored', async () => (await storedIds()).length === 2);
  const row = await streamRow();
  const leader = [first, second].find((worker) => worker.child.pid === leaderPid(row.leader));
  const follower = [first, second].find((worker) => worker !== leader);
  expect(leader).toBeDefined();

  await leader!.kill('SIGKILL');
  const killedAt = Date.now();
  // Posted while no worker leads: the stream never sends these; only the new leader's catch-up poll finds them.
  const during = [instance.post('Posted while nobody listened', { hashtags: ['bluefern'] }), instance.post('And another one', { hashtags: ['bluefern'] })];

  await waitUntil('the other worker to take the connection over', async () => instance.connections.length === 2, 40_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  expect(instance.connections[1]!.at - killedAt).toBeLessThanOrEqual(LEASE_MS + 10_000);
  expect(instance.maxOpen()).toBe(1);

  await waitUntil('the subscription', async () => instance.connections[1]?.subscriptions.length === 1);
  const after = instance.post('After the takeover', { hashtags: ['bluefern'] });
  const expected = [...before, ...during, after].map((status) => status.uri).sort();
  await waitUntil('every post to be stored', async () => (await storedIds()).length === expected.length, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  expect(await storedIds()).toEqual(expected);
  expect(leaderPid((await streamRow()).leader)).toBe(follower!.child.pid);

  expect(await follower!.kill('SIGTERM')).toBe(0);
  // Stopped gracefully, the last leader gives the connection up: down, no one behind it.
  expect(await streamRow()).toMatchObject({ state: 'down', leader: null });
  expect(follower!.output()).not.toContain('Error');
}, 120_000);
