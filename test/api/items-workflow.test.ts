import { afterAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { addKey, createApiHarness, freshSource, insertItem } from '../support/api.ts';
import { addPerson } from '../support/web.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const post = (id: string, action: string, payload?: object, key?: string) =>
  h.call({ method: 'POST', url: `/v1/items/${id}/${action}`, ...(payload && { payload }), ...(key && { key }) });
const types = (item: { events: { type: string }[] }) => item.events.map((event) => event.type);

describe('respond with a time', () => {
  test('an earlier answer becomes the first response and is dated when it happened', async () => {
    const id = await insertItem(h.db, h.tenant, { published_at: '2026-03-01T09:00:00Z' });
    const response = await post(id, 'respond', { note: 'Phoned her.', at: '2026-03-01T11:00:00Z' });
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toMatchObject({ status: 'responded', respondedAt: '2026-03-01T11:00:00.000Z', firstResponseAt: '2026-03-01T11:00:00.000Z', firstResponseSource: 'earshot' });
    const responded = item.events.find((event: { type: string }) => event.type === 'responded');
    expect(responded).toMatchObject({ actor: 'Alice owner', at: '2026-03-01T11:00:00.000Z', data: { note: 'Phoned her.', recordedAt: expect.any(String) } });
  });

  test('the earliest answer wins, even when recorded later, and beats a later platform reply', async () => {
    const id = await insertItem(h.db, h.tenant, {
      published_at: '2026-03-01T09:00:00Z',
      first_response_at: '2026-03-01T15:00:00Z',
      first_response_source: 'platform',
      status: 'responded',
      responded_at: '2026-03-01T15:00:00Z',
    });
    const item = (await post(id, 'respond', { at: '2026-03-01T10:00:00Z' })).json();
    expect(item).toMatchObject({ firstResponseAt: '2026-03-01T10:00:00.000Z', firstResponseSource: 'earshot', respondedAt: '2026-03-01T10:00:00.000Z' });
    const later = (await post(id, 'respond', { at: '2026-03-01T12:00:00Z' })).json();
    expect(later).toMatchObject({ firstResponseAt: '2026-03-01T10:00:00.000Z', respondedAt: '2026-03-01T10:00:00.000Z' });
  });

  test.each([
    [{ at: '2999-01-01T00:00:00Z' }, 'body.at', 'in the future'],
    [{ at: '2026-02-28T00:00:00Z' }, 'body.at', 'before the item was published'],
    [{ at: 'yesterday' }, 'body.at', 'date-time'],
  ])('%j is refused naming %s', async (payload, field, words) => {
    const id = await insertItem(h.db, h.tenant, { published_at: '2026-03-01T09:00:00Z' });
    const response = await post(id, 'respond', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(response.json().error.message).toContain(words);
  });
});

describe('POST /v1/items/:id/reopen', () => {
  test('a resolved, answered item goes back to responded and loses its resolution time', async () => {
    const id = await insertItem(h.db, h.tenant);
    await post(id, 'respond');
    await post(id, 'resolve');
    const response = await post(id, 'reopen', { reason: 'Heater broke again.' });
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toMatchObject({ status: 'responded', resolvedAt: null });
    expect(item.respondedAt).not.toBeNull();
    expect(item.events.at(-1)).toMatchObject({ type: 'reopened', actor: 'Alice owner', data: { reason: 'Heater broke again.', status: 'responded' } });
  });

  test('a resolved item never answered goes back to new', async () => {
    const id = await insertItem(h.db, h.tenant);
    await post(id, 'resolve');
    expect((await post(id, 'reopen', { reason: 'Not fixed' })).json().status).toBe('new');
  });

  test('an item that is not resolved cannot be reopened', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await post(id, 'reopen', { reason: 'why not' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('only a resolved item') });
  });

  test.each([
    [{}, 'body.reason'],
    [{ reason: '   ' }, 'body.reason'],
    [{ reason: 'x', status: 'new' }, 'body.status'],
  ])('%j is refused naming %s', async (payload, field) => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    const response = await post(id, 'reopen', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });
});

describe('POST /v1/items/:id/assign', () => {
  test('to a person, to a key of the account, and back to nobody', async () => {
    const id = await insertItem(h.db, h.tenant);
    const person = (await post(id, 'assign', { to: ' sam@bistro.example ' })).json();
    expect(person.assignee).toEqual({ name: 'sam@bistro.example', keyId: null });

    const staff = await addKey(h.db, h.tenant.accountId, 'staff');
    const keyed = (await post(id, 'assign', { to: staff.id })).json();
    expect(keyed.assignee).toEqual({ name: 'staff key', keyId: staff.id });

    const nobody = (await post(id, 'assign', { to: null })).json();
    expect(nobody.assignee).toBeNull();
    expect((await post(id, 'assign', { to: '' })).json().assignee).toBeNull();
    expect(nobody.events.slice(-3)).toEqual([
      expect.objectContaining({ type: 'assigned', actor: 'Alice owner', data: { to: 'sam@bistro.example' } }),
      expect.objectContaining({ type: 'assigned', data: { to: 'staff key', keyId: staff.id } }),
      expect.objectContaining({ type: 'unassigned', data: { to: null } }),
    ]);
  });

  test("to a person of the account by their id: shown under their display name (else email), on their Mine tab", async () => {
    const shop = await freshSource(h);
    const sam = await addPerson(h.db, h.tenant.accountId, { email: 'sam.assign@bistro.example', role: 'staff', displayName: 'Sam' });
    const pat = await addPerson(h.db, h.tenant.accountId, { email: 'pat.assign@bistro.example', role: 'owner' });
    const id = await insertItem(h.db, shop);
    const toSam = (await post(id, 'assign', { to: sam.id.toUpperCase() })).json();
    expect(toSam.assignee).toEqual({ name: 'Sam', keyId: null });
    expect(toSam.events.at(-1)).toMatchObject({ type: 'assigned', actor: 'Alice owner', data: { to: 'Sam', userId: sam.id } });
    const row = await h.db.selectFrom('items').select(['assignee_user_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.assignee_user_id).toBe(sam.id);
    expect((await post(id, 'assign', { to: pat.id })).json().assignee).toEqual({ name: 'pat.assign@bistro.example', keyId: null });
    // A name typed as text is no longer anybody's "Mine".
    await post(id, 'assign', { to: 'Sam' });
    const after = await h.db.selectFrom('items').select(['assignee_user_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.assignee_user_id).toBeNull();
  });

  test('a consultant, a person who cannot see the business, or a person of another account is refused', async () => {
    const shop = await freshSource(h);
    const consultant = await addPerson(h.db, h.tenant.accountId, { email: 'carl.assign@bistro.example', role: 'consultant' });
    const elsewhere = await addPerson(h.db, h.tenant.accountId, { email: 'ed.assign@bistro.example', role: 'staff', businessIds: [h.tenant.businessId] });
    const stranger = await addPerson(h.db, h.stranger.accountId, { email: 'mal.assign@evil.example', role: 'owner' });
    const id = await insertItem(h.db, shop);
    for (const person of [consultant, elsewhere, stranger]) {
      const response = await post(id, 'assign', { to: person.id });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'body.to' });
    }
  });

  test("another account's key is not a key of this account", async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await post(id, 'assign', { to: h.stranger.keyId });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'body.to' });
  });

  test.each([
    [{}, 'body.to'],
    [{ to: 'x'.repeat(321) }, 'body.to'],
  ])('%j is refused naming %s', async (payload, field) => {
    const id = await insertItem(h.db, h.tenant);
    const response = await post(id, 'assign', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });
});

describe('POST /v1/items/:id/notes', () => {
  test('adds the note to the timeline under the key name', async () => {
    const id = await insertItem(h.db, h.tenant);
    const response = await post(id, 'notes', { text: 'Prefers a call after 5 pm.' });
    expect(response.statusCode).toBe(200);
    expect(response.json().events.at(-1)).toMatchObject({ type: 'note', actor: 'Alice owner', data: { note: 'Prefers a call after 5 pm.' } });
  });

  test.each([
    [{}, 'body.text'],
    [{ text: '' }, 'body.text'],
    [{ text: 'x'.repeat(5001) }, 'body.text'],
  ])('%j is refused naming %s', async (payload, field) => {
    const id = await insertItem(h.db, h.tenant);
    const response = await post(id, 'notes', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });
});

describe('every action', () => {
  const actions: [string, object][] = [
    ['respond', {}],
    ['resolve', {}],
    ['reopen', { reason: 'x' }],
    ['assign', { to: 'Sam' }],
    ['notes', { text: 'x' }],
    ['re-review-requests', { channel: 'email' }],
  ];

  test.each(actions)("%s: another account's item is not found and gets no event", async (action, payload) => {
    const id = await insertItem(h.db, h.stranger, { status: 'resolved', resolved_at: new Date() });
    const response = await post(id, action, payload);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
    expect(await h.db.selectFrom('item_events').select('id').where('item_id', '=', id).execute()).toEqual([]);
  });

  test.each(actions)('%s: a malformed id is not found', async (action, payload) => {
    expect((await post('not-an-id', action, payload)).statusCode).toBe(404);
  });

  test.each(actions)('%s: a staff key may act; a consultant key may not', async (action, payload) => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant');
    expect((await post(id, action, payload, consultant.key)).statusCode).toBe(403);
    const staff = await addKey(h.db, h.tenant.accountId, 'staff', [h.tenant.businessId]);
    expect((await post(id, action, payload, staff.key)).statusCode).toBeLessThan(300);
  });

  test.each(actions)('%s: a staff key scoped to another business does not see the item', async (action, payload) => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    const other = await createBusiness(h.db, h.tenant.accountId, { name: 'Other', timezone: 'UTC', alertEmails: ['o@example.com'] });
    const staff = await addKey(h.db, h.tenant.accountId, 'staff', [other.id]);
    expect((await post(id, action, payload, staff.key)).statusCode).toBe(404);
  });
});

describe('the timeline', () => {
  test('tells the whole story in order', async () => {
    const id = await insertItem(h.db, h.tenant, { rating: 1, published_at: '2026-03-01T09:00:00Z', first_seen_at: '2026-03-01T09:05:00Z' });
    await h.db
      .insertInto('item_events')
      .values([
        { item_id: id, account_id: h.tenant.accountId, type: 'flagged', actor: 'analyzer', data: '{}', at: '2026-03-01T09:06:00Z' },
        { item_id: id, account_id: h.tenant.accountId, type: 'alerted', actor: 'system', data: JSON.stringify({ to: 'owner@example.com' }), at: '2026-03-01T09:07:00Z' },
        { item_id: id, account_id: h.tenant.accountId, type: 'platform_reply_seen', actor: 'platform', data: JSON.stringify({ text: 'Sorry' }), at: '2026-03-01T10:00:00Z' },
      ])
      .execute();
    await post(id, 'respond', { at: '2026-03-01T11:00:00Z' });
    await post(id, 'assign', { to: 'Sam' });
    await post(id, 'notes', { text: 'Refund sent.' });
    await post(id, 'resolve', { note: 'Fixed.' });
    await post(id, 're-review-requests', { channel: 'phone' });
    const item = (await h.call({ method: 'GET', url: `/v1/items/${id}` })).json();
    expect(types(item)).toEqual(['detected', 'flagged', 'alerted', 'platform_reply_seen', 'responded', 'assigned', 'note', 'resolved', 're_review_requested']);
    expect(item.events[2].data).toEqual({ to: 'owner@example.com' });
    expect(item.events.at(-1)).toMatchObject({ actor: 'Alice owner', data: { channel: 'phone', requestId: expect.any(String) } });
  });
});


describe('GET /v1/items filters', () => {
  test('kind, rating range, assignee, published range and text', async () => {
    const owner = await freshSource(h);
    const staff = await addKey(h.db, h.tenant.accountId, 'staff');
    const a = await insertItem(h.db, owner, { rating: 1, title: 'Cold SOUP', body: 'awful', sort_at: '2026-03-01T00:00:00Z', assignee: 'Sam' });
    const b = await insertItem(h.db, owner, { rating: 3, body: 'The soup was 50% water_ish', sort_at: '2026-03-05T00:00:00Z', assignee: 'staff key', assignee_key_id: staff.id });
    const c = await insertItem(h.db, owner, { kind: 'mention', body: 'nice place', sort_at: '2026-03-10T00:00:00Z' });
    const ids = async (query: string) => {
      const response = await h.call({ method: 'GET', url: `/v1/items?businessId=${owner.businessId}&${query}` });
      expect(response.statusCode).toBe(200);
      return response.json().items.map((item: { id: string }) => item.id);
    };
    expect(await ids('kind=mention')).toEqual([c]);
    expect(await ids('kind=review')).toEqual([b, a]);
    expect(await ids('ratingMin=2')).toEqual([b]);
    expect(await ids('ratingMax=2')).toEqual([a]);
    expect(await ids('ratingMin=1&ratingMax=3')).toEqual([b, a]);
    expect(await ids('assignee=sam')).toEqual([a]);
    expect(await ids(`assignee=${staff.id}`)).toEqual([b]);
    expect(await ids('publishedFrom=2026-03-05T00:00:00Z')).toEqual([c, b]);
    expect(await ids('publishedTo=2026-03-05T00:00:00Z')).toEqual([a]);
    expect(await ids('q=soup')).toEqual([b, a]);
    // Wildcards are literal: `%` and `_` match only themselves.
    expect(await ids('q=50%25')).toEqual([b]);
    expect(await ids('q=%25')).toEqual([b]);
    expect(await ids('q=r_ish')).toEqual([b]);
    expect(await ids('q=o_p')).toEqual([]);
    expect(await ids(`q=${encodeURIComponent("'; drop table items; --")}`)).toEqual([]);
  });

  test.each([
    ['kind=post', 'query.kind'],
    ['ratingMin=0', 'query.ratingMin'],
    ['ratingMax=6', 'query.ratingMax'],
    ['ratingMin=4&ratingMax=2', 'query.ratingMax'],
    ['publishedFrom=march', 'query.publishedFrom'],
    ['publishedTo=2026-13-01T00:00:00Z', 'query.publishedTo'],
    ['publishedFrom=2026-03-02T00:00:00Z&publishedTo=2026-03-01T00:00:00Z', 'query.publishedTo'],
    ['q=', 'query.q'],
    [`q=${'x'.repeat(201)}`, 'query.q'],
    ['assignee=', 'query.assignee'],
  ])('%s is refused naming %s', async (query, field) => {
    const response = await h.call({ method: 'GET', url: `/v1/items?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });
});
