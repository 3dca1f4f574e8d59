import fastJsonStringify from 'fast-json-stringify';
import { afterAll, describe, expect, test } from 'vitest';
import { getItem } from '../../db/repositories/item-queries.ts';
import { itemSchema, presentItem } from '../../services/api/schemas/item.ts';
import { createApiHarness, freshSource, insertItem, type TestItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

/** What Fastify's serialiser made of the list before PostgreSQL wrote it: presentItem through the response schema. */
const serialiseList = fastJsonStringify({
  type: 'object',
  required: ['items', 'nextCursor'],
  additionalProperties: false,
  properties: { items: { type: 'array', items: itemSchema }, nextCursor: { type: ['string', 'null'] } },
} as Parameters<typeof fastJsonStringify>[0]);

async function presentedThenSerialised(owner: TestItem, ids: readonly string[], nextCursor: string | null): Promise<string> {
  const items = [];
  for (const id of ids) items.push(presentItem((await getItem(h.db, { accountId: owner.accountId, businessIds: null }, id))!));
  return serialiseList({ items, nextCursor });
}

/** Strings JSON must escape, and some it must leave alone. */
const AWKWARD = 'Quote " backslash \\ slash / tab\tnewline\nreturn\r bell\u0007 nul-ish\u0001 del\u007f é 😀 \u2028\u2029 <script>';

describe('the item list written by PostgreSQL', () => {
  test('is byte for byte what presentItem and the response schema made, for items with every field set and with every nullable field null', async () => {
    const owner = await freshSource(h);
    const full = await insertItem(h.db, owner, {
      kind: 'mention',
      url: 'https://reviews.example/r/1?a=1&b="2"',
      author: AWKWARD,
      rating: 2,
      title: AWKWARD,
      body: `${AWKWARD}\n${'long text '.repeat(300)}`,
      language: 'fr',
      published_at: '2026-03-01T10:00:00.999999Z',
      sort_at: '2026-03-01T10:00:00.999999Z',
      first_seen_at: '2026-03-01T10:05:00.000500Z',
      sentiment_score: -0.8123457,
      sentiment_label: 'negative',
      topics: ['wait', 'staff_attitude'],
      flagged: true,
      status: 'resolved',
      responded_at: '2026-03-02T08:00:00.123456Z',
      resolved_at: '2026-03-03T08:00:00Z',
      first_response_at: '2026-03-01T23:59:59.999Z',
      first_response_source: 'platform',
      owner_reply_text: AWKWARD,
      owner_reply_at: '2026-03-01T23:59:59.999Z',
      assignee: AWKWARD,
      assignee_key_id: h.tenant.keyId,
    });
    const bare = await insertItem(h.db, owner, { body: '', sort_at: '2026-02-01T00:00:00Z', first_seen_at: '1999-12-31T23:59:59.001Z' });
    const replyWithoutDate = await insertItem(h.db, owner, {
      sort_at: '2026-01-01T00:00:00Z',
      owner_reply_text: 'Thanks',
      assignee: 'Sam',
      sentiment_score: 0,
      sentiment_label: 'neutral',
    });

    const response = await h.call({ method: 'GET', url: `/v1/items?sourceId=${owner.sourceId}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(await presentedThenSerialised(owner, [full, bare, replyWithoutDate], null));
  });

  test('writes sentiment scores as JavaScript writes them, tiny ones and the sign of zero included', async () => {
    const owner = await freshSource(h);
    const scores = [0.85, -1, 1, 0.5, -0.000123, 0.0001, 0.000015, -0.000001, 1.5e-7, -3e-10, -0, 0.3333333, 1e-45];
    const ids: string[] = [];
    for (const [index, score] of scores.entries()) {
      ids.unshift(await insertItem(h.db, owner, { sentiment_score: score, sentiment_label: 'neutral', sort_at: new Date(Date.UTC(2026, 0, 1, 0, index)) }));
    }
    const response = await h.call({ method: 'GET', url: `/v1/items?sourceId=${owner.sourceId}&limit=200` });
    expect(response.body).toBe(await presentedThenSerialised(owner, ids, null));
  });

  test('ends a page that has more after it with the same cursor as before', async () => {
    const owner = await freshSource(h);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift(await insertItem(h.db, owner, { sort_at: `2026-03-01T10:00:0${i}.123456Z` }));
    const response = await h.call({ method: 'GET', url: `/v1/items?sourceId=${owner.sourceId}&limit=2` });
    const cursor = response.json().nextCursor as string;
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual(['2026-03-01T10:00:01.123456Z', ids[1]]);
    expect(response.body).toBe(await presentedThenSerialised(owner, ids.slice(0, 2), cursor));
  });
});
