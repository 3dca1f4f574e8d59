/**
 * Jetstream replays from a cursor only within a limited window: a connection that
 * resumes from an event older than that window asks for an immediate poll of the
 * Bluesky sources, for what the stream can no longer bring; one within the window
 * resumes from its cursor alone.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { jetstream, REWIND_US } from '../../connectors/bluesky/jetstream.ts';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let pipeline: Pipeline | undefined;

beforeAll(async () => {
  bluesky = await startFakeBluesky();
});
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});
afterAll(async () => {
  await bluesky.stop();
});

/**
 * An install whose stream a stopped earlier run left with its last committed event
 * `ageMs` ago, started again: returns once its stream has reconnected from that cursor.
 */
async function resumeAfter(ageMs: number): Promise<{ started: Pipeline; health: () => Promise<any>; sourceId: string }> {
  const started = (pipeline = await startPipeline({ BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl, EARSHOT_ALLOW_PRIVATE_URLS: 'true' }));
  const business = await started.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await started.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Blue Fern Cafe'], baseUrl: bluesky.url },
    credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  expect(source.status).toBe(201);
  const sourceId: string = source.body.id;
  const at = new Date(Date.now() - ageMs);
  const cursor = at.getTime() * 1000;
  await started.db
    .insertInto('stream_cursors')
    .values({ stream: jetstream.id, source_type: 'bluesky', cursor: JSON.stringify(cursor), last_event_at: at, state: 'down', leader: null })
    .execute();
  const health = async () => (await started.api('GET', `/v1/sources/${sourceId}`)).body.health;

  const connectionsBefore = bluesky.connections.length;
  started.startWorkers();
  await waitUntil('the stream to connect', async () => bluesky.connections.length > connectionsBefore && (await health()).stream?.state === 'connected');
  expect(bluesky.connections.at(-1)?.cursor).toBe(cursor - REWIND_US);
  return { started, health, sourceId };
}

test('the window is a day: conservative beside what a public instance keeps', () => {
  expect(jetstream.replayWindowMs).toBe(24 * 60 * 60 * 1000);
  expect(jetstream.catchUpByPoll).toBeUndefined();
});

test('resuming from a cursor within the replay window polls nothing', async () => {
  const { started, health, sourceId } = await resumeAfter(10 * 60 * 1000);
  await sleep(1500);
  await started.idle();
  expect((await health()).lastSuccessAt).toBeNull();
  expect(await started.db.selectFrom('sources').select('last_polled_at').where('id', '=', sourceId).executeTakeFirstOrThrow()).toEqual({ last_polled_at: null });
});

test('resuming from a cursor older than the replay window polls the sources at once', async () => {
  const { health } = await resumeAfter(jetstream.replayWindowMs! + 60 * 60 * 1000);
  await waitUntil('the catch-up poll', async () => (await health()).lastSuccessAt ?? undefined);
  expect((await health()).status).toBe('ok');
});
