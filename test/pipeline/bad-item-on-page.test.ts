import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { placeDetails } from '../support/google-places-payload.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { waitUntil } from '../support/wait.ts';

// The platform is faked by nock at a loopback address: nothing leaves the machine.
const PLATFORM = 'http://127.0.0.1:9';
const API_KEY = 'places-key-secret-4711';

let pipeline: Pipeline;
let businessId: string;

beforeAll(async () => {
  nock.disableNetConnect();
  pipeline = await startPipeline({ EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  pipeline.startWorkers();
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Chez Test', alertEmails: ['owner@chez.test'] });
  businessId = business.body.id;
});
afterAll(async () => {
  await pipeline.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function newSource(placeId: string): Promise<string> {
  const source = await pipeline.api('POST', `/v1/businesses/${businessId}/sources`, {
    type: 'google_places',
    config: { placeId, baseUrl: PLATFORM },
    credentials: { apiKey: API_KEY },
  });
  expect(source.status).toBe(201);
  return source.body.id;
}

type SourceRow = { last_polled_at: Date | null; last_success_at: Date | null; last_error_at: Date | null };
const row = (sourceId: string): Promise<SourceRow> =>
  pipeline.db.selectFrom('sources').select(['last_polled_at', 'last_success_at', 'last_error_at']).where('id', '=', sourceId).executeTakeFirstOrThrow();
const changed = (a: Date | null, b: Date | null) => (a?.getTime() ?? 0) !== (b?.getTime() ?? 0);

/** Asks for a poll and waits until it has succeeded or recorded an error. */
async function pollNow(sourceId: string): Promise<void> {
  const before = await row(sourceId);
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to finish', async () => {
    const after = await row(sourceId);
    return changed(after.last_success_at, before.last_success_at) || changed(after.last_error_at, before.last_error_at);
  });
  await pipeline.idle();
}

function reviewsOf(placeId: string, reviews: Array<{ id: string; rating: number; text: string }>): { reviews: Array<Record<string, unknown>> } {
  return placeDetails(placeId, reviews.map((r) => ({ ...r, author: 'A', hoursAgo: 2 }))) as { reviews: Array<Record<string, unknown>> };
}

function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { next: value };
  return value;
}

const COMPLAINT = { id: 'complaint', rating: 1, text: 'Cold food and a rude waiter; we waited an hour.' };

test('a page with odd reviews stores all of them, and the complaint beside them is flagged and alerted', async () => {
  const place = 'place-odd';
  const sourceId = await newSource(place);
  const body = reviewsOf(place, [
    { id: 'nul', rating: 4, text: 'Good \u0000 bread.' },
    { id: 'half-emoji', rating: 5, text: 'Great \uD83D' },
    { id: 'half-star', rating: 1.5, text: 'Not great.' },
    { id: 'year-minus-10000', rating: 5, text: 'Old.' },
    { id: 'year-275760', rating: 5, text: 'Future.' },
    { id: 'deep', rating: 4, text: 'Deep.' },
    COMPLAINT,
  ]);
  body.reviews[3]!.publishTime = '-010000-01-01T00:00:00Z';
  body.reviews[4]!.publishTime = '+275760-09-13T00:00:00Z';
  body.reviews[5]!.extra = deeplyNested(3000);
  nock(PLATFORM).get(`/v1/places/${place}`).reply(200, body);
  await pollNow(sourceId);

  const view = await pipeline.api('GET', `/v1/sources/${sourceId}`);
  expect(view.body.health).toMatchObject({ status: 'ok', lastError: null, itemCount: 7, skippedItems: [] });
  const items = await pipeline.db.selectFrom('items').select(['id', 'external_id', 'rating', 'body', 'published_at', 'flagged']).where('source_id', '=', sourceId).execute();
  const byName = new Map(items.map((item) => [item.external_id.split('/').at(-1), item]));
  expect(byName.get('nul')?.body).toBe('Good \uFFFD bread.');
  expect(byName.get('half-star')).toMatchObject({ rating: 1, flagged: true });
  expect(byName.get('year-minus-10000')?.published_at).toBeNull();
  expect(byName.get('year-275760')?.published_at).toBeNull();
  const complaint = byName.get('complaint');
  expect(complaint?.flagged).toBe(true);
  await waitUntil('the complaint to be alerted', async () => {
    const deliveries = await pipeline.db.selectFrom('alert_deliveries').select('status').where('item_id', '=', complaint!.id).execute();
    return deliveries.length === 1 && deliveries[0]!.status === 'sent';
  });

  // The next poll moves on: a new review is stored and the odd ones are not reported again.
  nock(PLATFORM).get(`/v1/places/${place}`).reply(200, { reviews: [...body.reviews, ...reviewsOf(place, [{ id: 'later', rating: 2, text: 'Slow service.' }]).reviews] });
  await pollNow(sourceId);
  expect((await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health).toMatchObject({ status: 'ok', itemCount: 8 });
});

test('a review the database cannot store even cleaned is kept aside and shown on the health; the rest of the page is stored', async () => {
  const place = 'place-unstorable';
  const sourceId = await newSource(place);
  const body = reviewsOf(place, [{ id: 'x', rating: 5, text: 'Unstorable.' }, COMPLAINT]);
  // An id far beyond what the unique index can hold.
  const hugeName = `places/${place}/reviews/${randomBytes(12_000).toString('base64')}`;
  body.reviews[0]!.name = hugeName;
  nock(PLATFORM).get(`/v1/places/${place}`).reply(200, body);
  await pollNow(sourceId);

  const view = await pipeline.api('GET', `/v1/sources/${sourceId}`);
  expect(view.body.health).toMatchObject({ status: 'ok', lastError: null, itemCount: 1 });
  expect(view.body.health.skippedItems).toHaveLength(1);
  const [skipped] = view.body.health.skippedItems;
  expect(hugeName.startsWith(skipped.externalId.slice(0, -1))).toBe(true);
  expect(skipped.reason).toMatch(/database refused it/);
  expect(Date.parse(skipped.at)).not.toBeNaN();
  const flagged = await pipeline.db.selectFrom('items').select('flagged').where('source_id', '=', sourceId).executeTakeFirstOrThrow();
  expect(flagged.flagged).toBe(true);

  // A later poll moves on.
  nock(PLATFORM).get(`/v1/places/${place}`).reply(200, reviewsOf(place, [{ id: 'later', rating: 1, text: 'Dirty tables.' }]));
  await pollNow(sourceId);
  expect((await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health).toMatchObject({ status: 'ok', itemCount: 2 });
});

test('an error body holding a NUL is recorded, and the source shows failing', async () => {
  const place = 'place-nul-error';
  const sourceId = await newSource(place);
  nock(PLATFORM).get(`/v1/places/${place}`).times(20).reply(503, { error: { status: 'UNAVAILABLE', message: 'backend \u0000 down' } });
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  const health = await waitUntil('the source to show failing', async () => {
    const view = await pipeline.api('GET', `/v1/sources/${sourceId}`);
    return view.body.health.status === 'failing' ? view.body.health : undefined;
  });
  expect(health.lastError).toMatchObject({ kind: 'transient' });
  expect(health.lastError.message).toMatch(/UNAVAILABLE: backend\s+down/);
  nock.cleanAll();
});

test('a non-JSON error body echoing the API key is kept with the key redacted', async () => {
  const place = 'place-echo';
  const sourceId = await newSource(place);
  const echo = `<html>Invalid request https://x.test/v1?key=${API_KEY}&q=1 sent with header ${API_KEY}</html>`;
  nock(PLATFORM).get(`/v1/places/${place}`).reply(200, echo, { 'content-type': 'text/html' });
  await pollNow(sourceId);

  const kept = await pipeline.db.selectFrom('source_bad_pages').select(['payload', 'message']).where('source_id', '=', sourceId).execute();
  expect(kept).toHaveLength(1);
  expect(kept[0]!.payload).not.toContain(API_KEY);
  expect(kept[0]!.payload).toContain('key=[redacted]');
  expect(kept[0]!.payload).toContain('sent with header [redacted]');
  const view = await pipeline.api('GET', `/v1/sources/${sourceId}`);
  expect(JSON.stringify(view.body)).not.toContain(API_KEY);
});

test('a rate-limited source keeps its status: rate limiting is not a failure', async () => {
  const place = 'place-limited';
  const sourceId = await newSource(place);
  for (let poll = 0; poll < 4; poll++) {
    nock(PLATFORM).get(`/v1/places/${place}`).reply(429, { error: { status: 'RESOURCE_EXHAUSTED', message: 'quota' } }, { 'retry-after': '120' });
    await pollNow(sourceId);
  }
  const view = await pipeline.api('GET', `/v1/sources/${sourceId}`);
  expect(view.body.health).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: { kind: 'rate_limited' } });
  const next = await pipeline.db.selectFrom('sources').select('next_poll_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
  expect(next.next_poll_at.getTime()).toBeGreaterThan(Date.now() + 60_000);
});
