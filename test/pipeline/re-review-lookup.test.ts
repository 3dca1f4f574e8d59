import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import page1 from '../fixtures/trustpilot/reviews-page-1.json' with { type: 'json' };
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { waitUntil } from '../support/wait.ts';

// A review older than the newest the listing shows is edited or removed on the
// platform: the poll's lookup of reviews awaiting a re-review still sees it.
const API = 'https://api.trustpilot.com';
const UNIT = '5a1b2c3d4e5f60718293a4b5';
const KEY = 'synthetic-trustpilot-key-9876543210';
const [angry] = page1.reviews;
const second = { ...angry!, id: '6601f00dcafe000000000b07', text: 'Wrong size delivered, and nobody answers the phone.', stars: 2 };

let pipeline: Pipeline;
let sourceId: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  pipeline = await startPipeline();
  pipeline.startWorkers();
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Duvet Co', alertEmails: ['owner@duvet.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'trustpilot',
    config: { businessUnitId: UNIT },
    credentials: { apiKey: KEY },
  });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});

afterAll(async () => {
  await pipeline.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** One poll through the API and the workers; `lookups` are the platform's answers by review id. */
async function poll(listed: unknown[], lookups: Record<string, [number, unknown]> = {}): Promise<void> {
  const before = await pipeline.db.selectFrom('sources').select('last_success_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
  const listing = nock(API).get(`/v1/business-units/${UNIT}/reviews`).query(true).matchHeader('apikey', KEY).reply(200, { reviews: listed, links: [] });
  const answers = Object.entries(lookups).map(([id, [status, body]]) => nock(API).get(`/v1/reviews/${id}`).matchHeader('apikey', KEY).reply(status, body as object));
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to succeed', async () => {
    const row = await pipeline.db.selectFrom('sources').select('last_success_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    return row.last_success_at !== null && row.last_success_at.getTime() !== before.last_success_at?.getTime();
  });
  await pipeline.idle();
  expect(listing.isDone()).toBe(true);
  for (const answer of answers) expect(answer.isDone()).toBe(true);
}

async function askCustomer(externalId: string): Promise<string> {
  const { id } = await pipeline.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
  expect((await pipeline.api('POST', `/v1/items/${id}/resolve`)).status).toBe(200);
  expect((await pipeline.api('POST', `/v1/items/${id}/re-review-requests`, { channel: 'email' })).status).toBe(201);
  return id;
}

test('an older review edited on the platform, then another removed, close their requests as revised and removed', async () => {
  await poll([angry, second]);
  const edited = await askCustomer(angry!.id);
  const removed = await askCustomer(second.id);

  // The listing no longer shows them; the lookups do.
  await poll([], {
    [angry!.id]: [200, { ...angry, stars: 4, text: 'They sent new covers the next day. Sorted.', updatedAt: new Date().toISOString() }],
    [second.id]: [404, { message: 'Not found' }],
  });

  const outcomeOf = async (itemId: string) => {
    const { events } = (await pipeline.api('GET', `/v1/items/${itemId}`)).body as { events: Array<{ type: string; data: Record<string, unknown> }> };
    return { types: events.map((event) => event.type), outcome: events.find((event) => event.type === 're_review_outcome')?.data };
  };
  expect(await outcomeOf(edited)).toMatchObject({ outcome: { outcome: 'revised', ratingBefore: 1, ratingAfter: 4 } });
  const gone = await outcomeOf(removed);
  expect(gone.types).toContain('removed');
  expect(gone.outcome).toMatchObject({ outcome: 'removed' });

  const { groups } = (await pipeline.api('GET', '/v1/metrics/re-reviews?groupBy=business')).body;
  expect(groups).toMatchObject([{ requested: 2, revised: 1, removed: 1, pending: 0, improved: 1, averageRatingChange: 3 }]);
});
