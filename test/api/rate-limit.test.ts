import { afterAll, expect, test } from 'vitest';
import { addKey, createApiHarness, insertItem } from '../support/api.ts';

const LIMIT = 3;
const h = await createApiHarness({ config: { apiRateLimitPerMinute: LIMIT } });
afterAll(() => h.close());

/** The window is the clock minute; starting right before it turns over would reset the count mid-test. */
async function awayFromMinuteBoundary(): Promise<void> {
  const untilNextMinute = 60_000 - (Date.now() % 60_000);
  if (untilNextMinute < 3_000) await new Promise((resolve) => setTimeout(resolve, untilNextMinute + 50));
}

test('past the per-minute limit a key gets 429 rate_limited with Retry-After; other keys are unaffected', async () => {
  const { key } = await addKey(h.db, h.tenant.accountId, 'consultant');
  await awayFromMinuteBoundary();
  for (let i = 0; i < LIMIT; i += 1) {
    const response = await h.call({ method: 'GET', url: '/v1/businesses', key });
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-limit']).toBe(String(LIMIT));
    expect(response.headers['ratelimit-remaining']).toBe(String(LIMIT - i - 1));
  }
  const refused = await h.call({ method: 'GET', url: '/v1/businesses', key });
  expect(refused.statusCode).toBe(429);
  expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining(`${LIMIT} requests`) } });
  const retryAfter = Number(refused.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);

  expect((await h.call({ method: 'GET', url: '/v1/businesses' })).statusCode).toBe(200);
});

test('requests without a valid key are refused with 401 before any counting', async () => {
  for (let i = 0; i < LIMIT + 2; i += 1) {
    expect((await h.call({ method: 'GET', url: '/v1/businesses', key: 'esk_wrong' })).statusCode).toBe(401);
  }
});

test('the counter lives in Redis under the queue prefix, expiring on its own', async () => {
  const { id, key } = await addKey(h.db, h.tenant.accountId, 'staff');
  await h.call({ method: 'GET', url: '/v1/businesses', key });
  const counters = await h.queues.connection.keys(`${h.queues.prefix}:rate-limit:${id}:*`);
  expect(counters).toHaveLength(1);
  const ttl = await h.queues.connection.pttl(counters[0]!);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(120_000);
});

test('a request that would change something is refused before it does, once over the limit; a GET over the limit is refused whatever its own answer', async () => {
  const { key } = await addKey(h.db, h.tenant.accountId, 'owner');
  const item = await insertItem(h.db, h.tenant);
  await awayFromMinuteBoundary();
  for (let i = 0; i < LIMIT; i += 1) expect((await h.call({ method: 'GET', url: `/v1/items/${item}`, key })).statusCode).toBe(200);

  const note = await h.call({ method: 'POST', url: `/v1/items/${item}/notes`, key, payload: { text: 'One too many' } });
  expect(note.statusCode).toBe(429);
  expect(note.headers['retry-after']).toBeDefined();
  const events = await h.db.selectFrom('item_events').select('type').where('item_id', '=', item).execute();
  expect(events).toEqual([]);

  const unknown = await h.call({ method: 'GET', url: '/v1/items/00000000-0000-4000-8000-000000000000', key });
  expect(unknown.statusCode).toBe(429);
  expect(unknown.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining(`${LIMIT} requests`) } });
  expect(unknown.headers['ratelimit-remaining']).toBe('0');
  const list = await h.call({ method: 'GET', url: '/v1/items?flagged=true', key });
  expect(list.statusCode).toBe(429);
  expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
});
