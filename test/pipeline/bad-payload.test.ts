import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { placeDetails } from '../support/google-places-payload.ts';
import { createBusinessAndSource } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  pipeline = await startPipeline();
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function pollAndWait(sourceId: string, done: (row: { last_success_at: Date | null; last_error_at: Date | null }) => boolean): Promise<void> {
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to finish', async () => done(await pipeline.db.selectFrom('sources').select(['last_success_at', 'last_error_at']).where('id', '=', sourceId).executeTakeFirstOrThrow()));
  await pipeline.idle();
}

test('a malformed payload shows as a clear source error, keeps what was stored, and leaves other sources working', async () => {
  const broken = await createBusinessAndSource(pipeline, ['o@x.test'], 'place-broken');
  const healthy = await createBusinessAndSource(pipeline, ['o@x.test'], 'place-healthy');

  nock('https://places.googleapis.com').get('/v1/places/place-broken').reply(200, placeDetails('place-broken', [{ id: 'b1', rating: 5, text: 'Great bread.', author: 'A', hoursAgo: 3 }]));
  await pollAndWait(broken.sourceId, (r) => r.last_success_at !== null);

  nock('https://places.googleapis.com').get('/v1/places/place-broken').reply(200, { id: 'place-broken', reviews: 'not a list' });
  nock('https://places.googleapis.com').get('/v1/places/place-healthy').reply(200, placeDetails('place-healthy', [{ id: 'h1', rating: 1, text: 'Burnt toast.', author: 'B', hoursAgo: 3 }]));
  await pollAndWait(broken.sourceId, (r) => r.last_error_at !== null);
  await pollAndWait(healthy.sourceId, (r) => r.last_success_at !== null);

  const brokenView = await pipeline.api('GET', `/v1/sources/${broken.sourceId}`);
  expect(brokenView.body.health.lastError.kind).toBe('bad_payload');
  expect(brokenView.body.health.lastError.message).toMatch(/reviews/);
  expect(brokenView.body.health.lastError.message).toMatch(/kept for inspection/);
  expect(brokenView.body.health.itemCount).toBe(1);
  const kept = await pipeline.db.selectFrom('source_bad_pages').selectAll().where('source_id', '=', broken.sourceId).execute();
  expect(kept).toHaveLength(1);
  expect(kept[0]?.payload).toContain('not a list');

  const healthyView = await pipeline.api('GET', `/v1/sources/${healthy.sourceId}`);
  expect(healthyView.body.health).toMatchObject({ status: 'ok', lastError: null, itemCount: 1 });
  const flagged = await pipeline.api('GET', `/v1/items?businessId=${healthy.businessId}&flagged=true`);
  expect(flagged.body.items).toHaveLength(1);
});
