import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import { createWebhookSource, signedWebhookHeaders } from '../support/webhook.ts';

let h: ApiHarness & { testDb: { drop(): Promise<void> } };
let sourceId: string;
const SECRET = 'whsec-replay-0123456789abcdef0123';

beforeAll(async () => {
  h = await createApiHarness();
  sourceId = await createWebhookSource(h, SECRET);
});
afterAll(() => h.close());

function signedRequest(externalId: string) {
  const body = JSON.stringify({ items: [{ id: externalId, rating: 5, body: `Lovely ${externalId}`, publishedAt: new Date().toISOString() }] });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = signedWebhookHeaders(SECRET, timestamp, body);
  return () => h.app.inject({ method: 'POST', url: `/v1/webhooks/${sourceId}`, headers, payload: body });
}

/** Deletes this test file's own Redis keys only: the shared Redis is never flushed whole. */
async function flushOwnRedisPrefix(): Promise<number> {
  const redis = h.queues.connection;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.queues.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

describe('each signed webhook request is accepted once', () => {
  test('of 20 simultaneous copies exactly one is accepted, the others are told it was already received', async () => {
    const send = signedRequest('simultaneous');
    const responses = await Promise.all(Array.from({ length: 20 }, () => send()));
    const codes = responses.map((response) => response.statusCode);
    expect(codes.filter((code) => code === 202)).toHaveLength(1);
    expect(codes.filter((code) => code === 409)).toHaveLength(19);
    const refused = responses.find((response) => response.statusCode === 409);
    expect(refused?.json().error.message).toMatch(/already received/);
  });

  test('a Redis flush does not make a replay acceptable', async () => {
    const send = signedRequest('after-flush');
    expect((await send()).statusCode).toBe(202);
    await flushOwnRedisPrefix();
    expect(await h.queues.connection.keys(`${h.queues.prefix}*`)).toEqual([]);
    const again = await send();
    expect(again.statusCode).toBe(409);
  });

  test('a request that could not be stored may be sent again', async () => {
    const send = signedRequest('retry-after-failure');
    // Storing fails: the items table refuses writes for a moment.
    await h.db.schema.alterTable('items').addCheckConstraint('refuse_for_test', sql`external_id <> 'retry-after-failure'`).execute();
    const failed = await send();
    // Whatever the answer (a 500, or a 400 naming the item the database refused), nothing was stored.
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    expect(failed.statusCode).not.toBe(409);
    expect(await h.db.selectFrom('items').select('id').where('external_id', '=', 'retry-after-failure').execute()).toEqual([]);
    await h.db.schema.alterTable('items').dropConstraint('refuse_for_test').execute();
    expect((await send()).statusCode).toBe(202);
    expect((await send()).statusCode).toBe(409);
  });

  test('remembered signatures older than the replay window are dropped', async () => {
    await h.db.updateTable('webhook_signatures_seen').set({ seen_at: new Date(Date.now() - 3600_000) }).where('source_id', '=', sourceId).execute();
    expect((await signedRequest('prunes-old')()).statusCode).toBe(202);
    const kept = await h.db.selectFrom('webhook_signatures_seen').select('signature').where('source_id', '=', sourceId).execute();
    expect(kept).toHaveLength(1);
  });
});
