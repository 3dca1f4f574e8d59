import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import { createWebhookSource, signedWebhookHeaders } from '../support/webhook.ts';

let h: ApiHarness & { testDb: { drop(): Promise<void> } };
let sourceId: string;
const SECRET = 'whsec-0123456789abcdef0123456789';

beforeAll(async () => {
  h = await createApiHarness({ config: { publicUrl: 'https://earshot.example.com' } });
  sourceId = await createWebhookSource(h, SECRET);
});
afterAll(() => h.close());

const items = (ids: string[]) => ({ items: ids.map((id, n) => ({ id, rating: n === 0 ? 1 : 5, body: `Pushed review ${id}`, author: 'Kim', publishedAt: new Date().toISOString() })) });

function push(payload: unknown, options: { secret?: string; timestamp?: number; body?: string; id?: string } = {}) {
  const body = options.body ?? JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return h.app.inject({
    method: 'POST',
    url: `/v1/webhooks/${options.id ?? sourceId}`,
    headers: signedWebhookHeaders(options.secret ?? SECRET, timestamp, body),
    payload: body,
  });
}

const stored = async () => (await h.db.selectFrom('items').select('external_id').where('source_id', '=', sourceId).execute()).map((r) => r.external_id).sort();

describe('a webhook source', () => {
  test('shows where to send, is never scheduled, and cannot be polled', async () => {
    const source = (await h.call({ method: 'GET', url: `/v1/sources/${sourceId}` })).json();
    expect(source.webhookUrl).toBe(`https://earshot.example.com/v1/webhooks/${sourceId}`);
    expect(source.capabilities.push).toBe(true);
    const row = await h.db.selectFrom('sources').select('next_poll_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    expect(row.next_poll_at.getUTCFullYear()).toBe(9999);
    const poll = await h.call({ method: 'POST', url: `/v1/sources/${sourceId}/poll` });
    expect(poll.statusCode).toBe(409);
  });

  test('a correctly signed POST stores the items and queues their analysis', async () => {
    const response = await push(items(['w1', 'w2']));
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: 2, new: 2, updated: 0, removed: 0 });
    expect(await stored()).toEqual(['w1', 'w2']);
    expect(await h.queues.analyze.getWaitingCount()).toBeGreaterThan(0);
    const health = (await h.call({ method: 'GET', url: `/v1/sources/${sourceId}` })).json().health;
    expect(health.lastSuccessAt).not.toBeNull();
  });

  test('the same signed request sent again is refused, and stores nothing', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify(items(['w3']));
    expect((await push(null, { body, timestamp })).statusCode).toBe(202);
    const again = await push(null, { body, timestamp });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already received/);
  });

  test.each([
    ['a wrong signature', { secret: 'not-the-secret-0123456789abcdef' }, /does not match/],
    ['a replayed old timestamp', { timestamp: Math.floor(Date.now() / 1000) - 3600 }, /more than 300 s/],
    ['an unknown source', { id: '00000000-0000-4000-8000-000000000000' }, /does not match/],
  ])('%s is refused with a clear error and stores nothing', async (_, options, message) => {
    const before = await stored();
    const response = await push(items(['bad-1']), options);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  test('missing signature headers are refused, naming what to send', async () => {
    const response = await h.app.inject({ method: 'POST', url: `/v1/webhooks/${sourceId}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(items(['x'])) });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toMatch(/X-Earshot-Signature/);
  });

  test('an oversized body is refused and stores nothing', async () => {
    const before = await stored();
    const response = await push({ items: [{ id: 'huge', body: 'x'.repeat(300 * 1024) }] });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(await stored()).toEqual(before);
  });

  test('an item that does not fit is refused naming its field, and nothing of the request is stored', async () => {
    const before = await stored();
    const response = await push({ items: [{ id: 'ok-1', body: 'fine' }, { id: 'bad-2', rating: 9, body: 'x' }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('body.items[1].rating');
    expect(await stored()).toEqual(before);
  });

  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

  test.each([
    ['year -10000', { publishedAt: '-010000-01-01T00:00:00Z' }, 'body.items[1].publishedAt'],
    ['year 275760', { publishedAt: '+275760-09-13T00:00:00Z' }, 'body.items[1].publishedAt'],
    ['"1", which JavaScript reads as 2001', { publishedAt: '1' }, 'body.items[1].publishedAt'],
    ['an impossible day', { publishedAt: '2026-02-30T10:00:00Z' }, 'body.items[1].publishedAt'],
    ['a leap second', { updatedAt: '2026-06-30T23:59:60Z' }, 'body.items[1].updatedAt'],
    ['a date before 1970', { publishedAt: '1969-12-31T23:00:00Z' }, 'body.items[1].publishedAt'],
    ['a date ten minutes in the future', { publishedAt: inMinutes(10) }, 'body.items[1].publishedAt'],
    ['an owner reply dated in the future', { ownerReply: { text: 'Thanks', at: inMinutes(60) } }, 'body.items[1].ownerReply.at'],
    ['a half-star rating', { rating: 1.5 }, 'body.items[1].rating'],
  ])('%s is refused naming the field, and nothing of the batch is stored', async (_, change, field) => {
    const before = await stored();
    const response = await push({ items: [{ id: 'fine-1', body: 'fine' }, { id: 'odd-2', body: 'odd', ...change }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(await stored()).toEqual(before);
  });

  test.each([
    ['very deep', 5_000],
    ['just past the limit', 30],
  ])('%s nesting in an item is refused naming the item, and nothing of the batch is stored', async (_, levels) => {
    const before = await stored();
    // Written out by hand: JSON.stringify itself overflows the stack on such a value.
    const deep = `${'{"next":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const body = `{"items":[{"id":"fine-3","body":"fine, with a \\"quoted [ bracket","tags":["a","b"]},{"id":"deep-4","body":"deep","extra":${deep}}]}`;
    const response = await push(null, { body });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'body.items[1]' });
    expect(response.json().error.message).toMatch(/deeper than 32 levels/);
    expect(await stored()).toEqual(before);
  });

  test('nesting within the limit is stored, kept in the raw item', async () => {
    const body = `{"items":[{"id":"nested-ok","body":"fine","extra":${'{"next":'.repeat(20)}1${'}'.repeat(20)}}]}`;
    const response = await push(null, { body });
    expect(response.statusCode).toBe(202);
    const row = await h.db.selectFrom('items').select('raw').where('source_id', '=', sourceId).where('external_id', '=', 'nested-ok').executeTakeFirstOrThrow();
    expect(JSON.stringify(row.raw)).toContain('"next":1');
  });

  test('NUL and half an emoji are replaced, not refused, and the batch is stored; a plain date is midnight UTC; a date a minute ahead passes', async () => {
    const response = await push({
      items: [
        { id: 'nul-\u0000-id', body: 'Cold \u0000 soup', author: 'Ann\u0000', publishedAt: '2026-03-01', extra: { 'k\u0000': 'v\u0000' } },
        { id: 'half-emoji', body: 'Great \uD83D', title: '\uDE00', publishedAt: inMinutes(1) },
      ],
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ received: 2, new: 2 });
    const rows = await h.db.selectFrom('items').selectAll().where('source_id', '=', sourceId).where('external_id', 'in', ['nul-\uFFFD-id', 'half-emoji']).orderBy('external_id').execute();
    expect(rows.map((r) => [r.external_id, r.body, r.title])).toEqual([
      ['half-emoji', 'Great \uFFFD', '\uFFFD'],
      ['nul-\uFFFD-id', 'Cold \uFFFD soup', null],
    ]);
    expect(rows[1]!.author).toBe('Ann\uFFFD');
    expect(rows[1]!.published_at?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(rows[1]!.raw).toMatchObject({ extra: { 'k\uFFFD': 'v\uFFFD' } });
  });

  test('an edit to a pushed item is an update, with the owner reply recorded', async () => {
    const response = await push({ items: [{ id: 'w1', rating: 2, body: 'Edited: still waiting for the refund', ownerReply: { text: 'We are on it', at: new Date().toISOString() } }] });
    expect(response.json()).toEqual({ received: 1, new: 0, updated: 1, removed: 0 });
    const item = await h.db.selectFrom('items').selectAll().where('source_id', '=', sourceId).where('external_id', '=', 'w1').executeTakeFirstOrThrow();
    expect(item).toMatchObject({ rating: 2, owner_reply_text: 'We are on it', first_response_source: 'platform' });
  });

  test('a review reported removed is kept, marked, and closes its open re-review request as removed', async () => {
    expect((await push(items(['gone-1']))).statusCode).toBe(202);
    const row = await h.db.selectFrom('items').select('id').where('source_id', '=', sourceId).where('external_id', '=', 'gone-1').executeTakeFirstOrThrow();
    expect((await h.call({ method: 'POST', url: `/v1/items/${row.id}/resolve`, payload: {} })).statusCode).toBe(200);
    const asked = await h.call({ method: 'POST', url: `/v1/items/${row.id}/re-review-requests`, payload: { channel: 'email' } });
    expect(asked.statusCode).toBe(201);

    const response = await push({ removed: ['gone-1', 'never-seen'] });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: 0, new: 0, updated: 0, removed: 1 });
    const item = (await h.call({ method: 'GET', url: `/v1/items/${row.id}` })).json();
    const types = item.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['removed', 're_review_outcome']));
    expect(item.events.find((e: { type: string }) => e.type === 're_review_outcome').data).toMatchObject({ outcome: 'removed' });
    const request = await h.db.selectFrom('re_review_requests').selectAll().where('item_id', '=', row.id).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ status: 'removed', closed_at: expect.any(Date) });
    expect(await stored()).toContain('gone-1');

    // Told again: nothing more happens.
    expect((await push({ removed: ['gone-1'] })).json()).toMatchObject({ removed: 0 });
    const again = (await h.call({ method: 'GET', url: `/v1/items/${row.id}` })).json();
    expect(again.events.filter((e: { type: string }) => e.type === 'removed')).toHaveLength(1);
  });

  test.each([
    [{ removed: 'gone-1' }, 'body.removed'],
    [{ removed: [''] }, 'body.removed[0]'],
    [{ removed: [42] }, 'body.removed[0]'],
    [[], 'body'],
  ])('a bad removal list %j is refused naming %s', async (payload, field) => {
    const response = await push(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });

  test('a short secret is refused when the source is created', async () => {
    const response = await h.call({ method: 'POST', url: `/v1/businesses/${h.tenant.businessId}/sources`, payload: { type: 'webhook', config: {}, credentials: { secret: 'short' } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('body.credentials.secret');
  });
});
