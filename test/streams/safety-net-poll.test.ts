/**
 * Polling as the safety net beside a healthy stream: while the Jetstream connection
 * serving a Bluesky source is connected, the source's next poll is an hour out (or its
 * own interval when longer); once the stream is down, it polls at its own interval again.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let proxy: TcpProxy;
let pipeline: Pipeline;
let everyQuarter: string;
let everyTwoHours: string;

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  // The stream goes through a proxy the test can cut; the search poll reaches Bluesky directly.
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(bluesky.url).port) });
  pipeline = await startPipeline({ BLUESKY_JETSTREAM_URL: `ws://127.0.0.1:${proxy.port}`, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const addSource = async (pollEveryMinutes: number) => {
    const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
      type: 'bluesky',
      config: { terms: ['Blue Fern Cafe'], baseUrl: bluesky.url },
      credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
      pollEveryMinutes,
    });
    expect(source.status).toBe(201);
    return source.body.id as string;
  };
  everyQuarter = await addSource(15);
  everyTwoHours = await addSource(120);
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await proxy.stop();
  await bluesky.stop();
});

const health = async (sourceId: string) => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

/** Polls the source now and returns the minutes from that poll to its next one. */
async function minutesToNextPoll(sourceId: string): Promise<number> {
  const before = (await health(sourceId)).lastSuccessAt as string | null;
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to succeed', async () => {
    const at = (await health(sourceId)).lastSuccessAt as string | null;
    return at !== null && at !== before;
  });
  const row = await pipeline.db.selectFrom('sources').select(['last_polled_at', 'next_poll_at']).where('id', '=', sourceId).executeTakeFirstOrThrow();
  return (row.next_poll_at.getTime() - row.last_polled_at!.getTime()) / 60_000;
}

test('while the stream is connected, a source polls every 60 minutes, or at its own interval when longer', async () => {
  await waitUntil('the stream to connect', async () => (await health(everyQuarter)).stream?.state === 'connected');
  expect(pipeline.config.streamSafetyNetPollMinutes).toBe(60);
  expect(await minutesToNextPoll(everyQuarter)).toBe(60);
  expect(await minutesToNextPoll(everyTwoHours)).toBe(120);
});

test('while the stream is down, a source polls at its own interval', async () => {
  await proxy.goDown();
  await waitUntil('the stream to be down', async () => (await health(everyQuarter)).stream?.state === 'down', 90_000);
  expect(await minutesToNextPoll(everyQuarter)).toBe(15);
  expect(await minutesToNextPoll(everyTwoHours)).toBe(120);

  // Back up: the safety net's hour again.
  await proxy.accept();
  await waitUntil('the stream to reconnect', async () => (await health(everyQuarter)).stream?.state === 'connected', 60_000);
  expect(await minutesToNextPoll(everyQuarter)).toBe(60);
});
