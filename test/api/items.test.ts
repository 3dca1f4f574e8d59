import { afterAll, describe, expect, test } from 'vitest';
import { createApiHarness, freshSource, insertItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());


const list = (query: string) => h.call({ method: 'GET', url: `/v1/items?${query}` });

describe('GET /v1/items', () => {
  test('pages through every item newest first, without duplicates, across equal timestamps', async () => {
    const owner = await freshSource(h);
    const inserted: string[] = [];
    for (let i = 0; i < 23; i++) {
      // Groups of three share a timestamp, with microseconds a JS Date cannot hold.
      const sortAt = `2026-03-01T10:00:${String(Math.floor(i / 3)).padStart(2, '0')}.123456Z`;
      inserted.push(await insertItem(h.db, owner, { sort_at: sortAt }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await list(`businessId=${owner.businessId}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json();
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);

    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...inserted].sort());
  });

  test('orders by time, newest first', async () => {
    const owner = await freshSource(h);
    const old = await insertItem(h.db, owner, { sort_at: '2026-01-01T00:00:00Z' });
    const recent = await insertItem(h.db, owner, { sort_at: '2026-02-01T00:00:00Z' });
    const page = (await list(`sourceId=${owner.sourceId}`)).json();
    expect(page.items.map((item: { id: string }) => item.id)).toEqual([recent, old]);
    expect(page.nextCursor).toBeNull();
  });

  test('filters by status, sentiment and flag', async () => {
    const owner = await freshSource(h);
    const flagged = await insertItem(h.db, owner, { flagged: true, sentiment_label: 'negative', sentiment_score: -0.8 });
    const responded = await insertItem(h.db, owner, { status: 'responded', sentiment_label: 'positive', sentiment_score: 0.6 });
    await insertItem(h.db, owner);
    const ids = async (query: string) =>
      (await list(`businessId=${owner.businessId}&${query}`)).json().items.map((item: { id: string }) => item.id);

    expect(await ids('flagged=true')).toEqual([flagged]);
    expect(await ids('sentiment=negative')).toEqual([flagged]);
    expect(await ids('status=responded')).toEqual([responded]);
    expect(await ids('flagged=false&status=new')).toHaveLength(1);
  });

  test("never shows another account's items", async () => {
    const strangers = await insertItem(h.db, h.stranger);
    const all = (await list('limit=200')).json().items.map((item: { id: string }) => item.id);
    expect(all).not.toContain(strangers);
  });

  test.each([
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
    ['limit=many', 'query.limit'],
    ['status=open', 'query.status'],
    ['sentiment=angry', 'query.sentiment'],
    ['flagged=maybe', 'query.flagged'],
    ['businessId=42', 'query.businessId'],
    ['cursor=not-a-cursor', 'query.cursor'],
    [`cursor=${Buffer.from('["2026-01-01T00:00:00Z","nope"]').toString('base64url')}`, 'query.cursor'],
    ['sort=oldest', 'query.sort'],
  ])('%s is refused naming %s', async (query, field) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });

  test("another account's business or source is not found", async () => {
    for (const query of [`businessId=${h.stranger.businessId}`, `sourceId=${h.stranger.sourceId}`]) {
      const response = await list(query);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });
});

describe('GET /v1/items/:id', () => {
  test('returns the item with everything known about it', async () => {
    const owner = await freshSource(h);
    const id = await insertItem(h.db, owner, {
      external_id: 'rev-1',
      author: 'Pat',
      rating: 1,
      title: 'Cold soup',
      body: 'The soup was cold and nobody came.',
      published_at: '2026-03-01T09:00:00Z',
      sentiment_label: 'negative',
      sentiment_score: -0.75,
      flagged: true,
      owner_reply_text: 'Sorry, Pat.',
      owner_reply_at: '2026-03-01T12:00:00Z',
      first_seen_at: '2026-03-01T09:30:00Z',
    });
    await h.db
      .insertInto('item_events')
      .values([
        { item_id: id, account_id: owner.accountId, type: 'alerted', actor: 'system', data: '{}', at: '2026-03-01T10:30:00Z' },
        { item_id: id, account_id: owner.accountId, type: 'flagged', actor: 'analyzer', data: '{}', at: '2026-03-01T10:00:00Z' },
      ])
      .execute();

    const response = await h.call({ method: 'GET', url: `/v1/items/${id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id,
      sourceId: owner.sourceId,
      businessId: owner.businessId,
      kind: 'review',
      externalId: 'rev-1',
      url: null,
      author: 'Pat',
      rating: 1,
      title: 'Cold soup',
      body: 'The soup was cold and nobody came.',
      language: null,
      publishedAt: '2026-03-01T09:00:00.000Z',
      firstSeenAt: expect.any(String),
      sentiment: { score: -0.75, label: 'negative' },
      topics: [],
      flagged: true,
      status: 'new',
      respondedAt: null,
      resolvedAt: null,
      firstResponseAt: null,
      firstResponseSource: null,
      ownerReply: { text: 'Sorry, Pat.', at: '2026-03-01T12:00:00.000Z' },
      assignee: null,
      events: [
        { type: 'detected', actor: 'system', at: '2026-03-01T09:30:00.000Z', data: { publishedAt: '2026-03-01T09:00:00.000Z' } },
        { type: 'flagged', actor: 'analyzer', at: '2026-03-01T10:00:00.000Z', data: {} },
        { type: 'alerted', actor: 'system', at: '2026-03-01T10:30:00.000Z', data: {} },
      ],
    });
  });

  test.each([
    ["another account's item", async () => insertItem(h.db, h.stranger)],
    ['an unknown id', async () => '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', async () => 'abc'],
  ])('%s is not found', async (_, id) => {
    const response = await h.call({ method: 'GET', url: `/v1/items/${await id()}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'not_found', message: 'item not found' });
  });

  test('an unknown query parameter is refused', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await h.call({ method: 'GET', url: `/v1/items/${id}?fields=body` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('query.fields');
  });
});

describe('POST /v1/items/:id/respond', () => {
  const respond = (id: string, payload?: object) => h.call({ method: 'POST', url: `/v1/items/${id}/respond`, ...(payload && { payload }) });

  test('marks the item responded and records who did it', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await respond(id, { note: 'Called the customer, offered a refund.' });
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toMatchObject({ status: 'responded', firstResponseSource: 'earshot' });
    expect(item.respondedAt).toEqual(expect.any(String));
    expect(item.firstResponseAt).toBe(item.respondedAt);
    expect(item.events).toEqual([
      { type: 'detected', actor: 'system', at: item.firstSeenAt, data: { publishedAt: null } },
      { type: 'responded', actor: 'Alice owner', at: item.respondedAt, data: { note: 'Called the customer, offered a refund.' } },
    ]);
  });

  test('a second response keeps the first time and adds to the timeline', async () => {
    const id = await insertItem(h.db, h.tenant);
    const first = (await respond(id)).json();
    const second = (await respond(id, { note: 'Followed up by email.' })).json();
    expect(second.respondedAt).toBe(first.respondedAt);
    expect(second.events.map((event: { type: string }) => event.type)).toEqual(['detected', 'responded', 'responded']);
    expect(second.events[1].data).toEqual({});
  });

  test('an owner reply already seen on the platform stays the first response', async () => {
    const id = await insertItem(h.db, h.tenant, { first_response_at: '2026-03-01T12:00:00Z', first_response_source: 'platform' });
    const item = (await respond(id)).json();
    expect(item.firstResponseAt).toBe('2026-03-01T12:00:00.000Z');
    expect(item.firstResponseSource).toBe('platform');
    expect(item.respondedAt).not.toBeNull();
  });

  test.each([
    [{ note: 'x'.repeat(5001) }, 'body.note'],
    [{ note: 'ok', status: 'resolved' }, 'body.status'],
  ])('%j is refused naming %s', async (payload, field) => {
    const id = await insertItem(h.db, h.tenant);
    const response = await respond(id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });

  test("another account's item is not found and stays untouched", async () => {
    const id = await insertItem(h.db, h.stranger);
    expect((await respond(id, {})).statusCode).toBe(404);
    const row = await h.db.selectFrom('items').select(['status', 'responded_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'new', responded_at: null });
    const events = await h.db.selectFrom('item_events').select('id').where('item_id', '=', id).execute();
    expect(events).toEqual([]);
  });
});

describe('POST /v1/items/:id/resolve', () => {
  const resolve = (id: string, payload: object = {}) => h.call({ method: 'POST', url: `/v1/items/${id}/resolve`, payload });

  test('marks the item resolved without inventing a response', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await resolve(id, { note: 'Replaced the heater.' });
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toMatchObject({ status: 'resolved', respondedAt: null, firstResponseAt: null, firstResponseSource: null });
    expect(item.resolvedAt).toEqual(expect.any(String));
    expect(item.events).toEqual([
      { type: 'detected', actor: 'system', at: item.firstSeenAt, data: { publishedAt: null } },
      { type: 'resolved', actor: 'Alice owner', at: item.resolvedAt, data: { note: 'Replaced the heater.' } },
    ]);
  });

  test('responding after resolving keeps the item resolved', async () => {
    const id = await insertItem(h.db, h.tenant);
    await resolve(id);
    const item = (await h.call({ method: 'POST', url: `/v1/items/${id}/respond` })).json();
    expect(item.status).toBe('resolved');
    expect(item.respondedAt).not.toBeNull();
  });

  test('a note that is not text is refused', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await resolve(id, { note: { text: 'hi' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('body.note');
  });

  test("another account's item is not found", async () => {
    const id = await insertItem(h.db, h.stranger);
    const response = await resolve(id);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
