/**
 * A worker that loses its stream's lease stops consuming at once, and takes the stream
 * up again from the committed cursor once the lease is free.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REWIND_US } from '../../connectors/bluesky/jetstream.ts';
import { RENEW_EVERY_MS } from '../../services/streams/stream-lease.ts';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let pipeline: Pipeline;
let sourceId: string;

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  pipeline = await startPipeline({ BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Blue Fern Cafe'], baseUrl: bluesky.url },
    credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  sourceId = source.body.id;
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await bluesky.stop();
});

async function storedIds(): Promise<string[]> {
  const rows = await pipeline.db.selectFrom('items').select('external_id').where('source_id', '=', sourceId).orderBy('external_id').execute();
  return rows.map((row) => row.external_id);
}

const streamRow = () => pipeline.db.selectFrom('stream_cursors').selectAll().where('stream', '=', 'bluesky_jetstream').executeTakeFirstOrThrow();

test('a lost lease stops the stream at once; once free again, it resumes from the cursor', async () => {
  await waitUntil('the stream to connect', async () => bluesky.openNow() === 1);
  const first = bluesky.post('Blue Fern Cafe: before');
  await waitUntil('the first post', async () => (await storedIds()).length === 1);
  const before = await waitUntil('its commit', async () => {
    const row = await streamRow();
    return row.cursor === first.timeUs ? row : undefined;
  });

  // Another holder takes the lease, as after an expiry while this worker was stalled.
  const key = `${pipeline.queues.prefix}:stream:bluesky_jetstream:leader`;
  await pipeline.queues.connection.set(key, 'another-worker', 'PX', 60_000);
  const stolenAt = Date.now();
  await waitUntil('the worker to hang up', async () => bluesky.openNow() === 0, RENEW_EVERY_MS + 5000);
  expect(Date.now() - stolenAt).toBeLessThanOrEqual(RENEW_EVERY_MS + 2000);

  const missed = bluesky.post('Blue Fern Cafe: while the lease was elsewhere');
  await sleep(1500);
  expect(await storedIds()).toEqual([bluesky.uriOf(first)]);
  expect(bluesky.connections).toHaveLength(1);

  await pipeline.queues.connection.del(key);
  await waitUntil('the worker to lead again', async () => bluesky.connections.length === 2, RENEW_EVERY_MS + 10_000);
  expect(bluesky.connections[1]?.cursor).toBe(first.timeUs - REWIND_US);
  await waitUntil('the missed post', async () => (await storedIds()).length === 2);
  expect(await storedIds()).toEqual([bluesky.uriOf(first), bluesky.uriOf(missed)].sort());
  // A new leadership, under a new token.
  expect((await streamRow()).leader).not.toBe(before.leader);
  expect(bluesky.maxOpen()).toBe(1);
});
