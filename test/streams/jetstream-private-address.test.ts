import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let pipeline: Pipeline;

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  // Private URLs are not allowed: the Jetstream endpoint on loopback must be refused.
  pipeline = await startPipeline({ BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl });
});
afterAll(async () => {
  await pipeline.stop();
  await bluesky.stop();
});

test('a Jetstream endpoint on a private address is refused, and the refusal shows in the source health', async () => {
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Blue Fern Cafe'] },
    credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  pipeline.startWorkers();
  const row = await waitUntil('the refusal', async () =>
    pipeline.db.selectFrom('stream_cursors').selectAll().where('last_error', 'is not', null).executeTakeFirst(),
  );
  expect(row.last_error).toBe('BLUESKY_JETSTREAM_URL refused: the URL points at 127.0.0.1, a private address; set EARSHOT_ALLOW_PRIVATE_URLS=true to allow it');
  expect(bluesky.connections).toEqual([]);
  const health = (await pipeline.api('GET', `/v1/sources/${source.body.id}`)).body.health;
  expect(health.stream).toEqual({ state: 'down', lastEventAt: null, lagSeconds: null });
});
