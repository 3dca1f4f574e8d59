import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness, insertItem, type ApiHarness, type TestItem } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addShop } from '../support/shop.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let shopA: TestItem;
let shopB: TestItem;
let owner: WebSession;
let sam: WebSession;
let noName: WebSession;
let scopedToA: WebSession;
let consultant: WebSession;
let samId: string;
let paulaId: string;

/** The item as the API reports it, with the tenant's owner key. */
async function apiItem(id: string) {
  const response = await h.call({ method: 'GET', url: `/v1/items/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json() as { status: string; respondedAt: string | null; assignee: { name: string } | null; events: Array<{ type: string; actor: string; data: Record<string, unknown> }> };
}

const problemOf = (body: string) => /<p class="notice problem"[^>]*>([^<]*)</.exec(body)?.[1]?.replaceAll('&#39;', "'");

beforeAll(async () => {
  h = await createApiHarness();
  shopA = await addShop(h, { name: 'Bistro A', timezone: 'Europe/Paris' });
  shopB = await addShop(h, { name: 'Bistro B', timezone: 'Europe/Paris' });
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner', displayName: 'Olive' });
  samId = (await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff', displayName: 'Sam Waiter' })).id;
  await addPerson(h.db, h.tenant.accountId, { email: 'nameless@bistro.test', role: 'staff' });
  paulaId = (await addPerson(h.db, h.tenant.accountId, { email: 'paula@bistro.test', role: 'staff', displayName: 'Paula', businessIds: [shopA.businessId] })).id;
  await addPerson(h.db, h.tenant.accountId, { email: 'carl@consult.test', role: 'consultant', displayName: 'Carl' });
  owner = await signInWithForm(h, 'olive@bistro.test');
  sam = await signInWithForm(h, 'sam@bistro.test');
  noName = await signInWithForm(h, 'nameless@bistro.test');
  scopedToA = await signInWithForm(h, 'paula@bistro.test');
  consultant = await signInWithForm(h, 'carl@consult.test');
});
afterAll(() => h.close());

describe('the item page', () => {
  test('shows the whole text, stars, author, dates, the original link, topics, sentiment and the timeline', async () => {
    const id = await insertItem(h.db, shopA, {
      rating: 1,
      author: 'Jane <Doe>',
      title: 'Cold soup',
      body: 'The soup was cold.\nAnd the waiter was rude.',
      url: 'https://www.trustpilot.com/reviews/1',
      published_at: '2026-03-01T09:00:00Z',
      sort_at: '2026-03-01T09:00:00Z',
      topics: ['quality', 'staff_attitude'],
      sentiment_label: 'negative',
      sentiment_score: -0.9,
      flagged: true,
    });
    const page = await sam.get(`/items/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Cold soup</h1>');
    expect(page.body).toContain('The soup was cold.\nAnd the waiter was rude.');
    expect(page.body).toContain('Jane &lt;Doe&gt;');
    expect(page.body).toContain('aria-label="1 of 5 stars"');
    expect(page.body).toContain('href="https://www.trustpilot.com/reviews/1"');
    expect(page.body).toContain('quality, staff attitude');
    expect(page.body).toContain('negative (-0.90)');
    expect(page.body).toContain('1 Mar 2026, 10:00'); // Paris time
    expect(page.body).toContain('Earshot found it');
    expect(page.body).toContain('Overdue');
  });

  test('a link that is not a web address is shown, never made a link', async () => {
    const id = await insertItem(h.db, shopA, { url: 'javascript:alert(1)' });
    const page = await sam.get(`/items/${id}`);
    expect(page.body).not.toContain('href="javascript:');
  });

  test('every action is recorded under the person\'s display name, and the API shows the same', async () => {
    const id = await insertItem(h.db, shopA, { rating: 2, flagged: true, published_at: '2026-03-01T09:00:00Z', sort_at: '2026-03-01T09:00:00Z' });
    const responded = await sam.post(`/items/${id}/respond`, { at: '2026-03-01T11:30', note: 'Called her back.' });
    expect(responded.statusCode).toBe(303);
    expect(responded.headers.location).toBe(`/items/${id}?done=respond`);
    expect((await sam.get(responded.headers.location as string)).body).toContain('Marked responded.');
    expect((await sam.post(`/items/${id}/note`, { text: 'Offered a free dessert.' })).statusCode).toBe(303);
    expect((await sam.post(`/items/${id}/assign`, { to: samId })).statusCode).toBe(303);
    expect((await sam.post(`/items/${id}/resolve`, { note: 'Heater fixed.' })).statusCode).toBe(303);
    expect((await sam.post(`/items/${id}/re-review`, { channel: 'phone', note: 'She will update it.' })).statusCode).toBe(303);
    expect((await sam.post(`/items/${id}/reopen`, { reason: 'Cold again.' })).statusCode).toBe(303);

    const item = await apiItem(id);
    // 11:30 in Paris on 1 March is 10:30 UTC.
    expect(item.respondedAt).toBe('2026-03-01T10:30:00.000Z');
    expect(item.status).toBe('responded');
    expect(item.assignee?.name).toBe('Sam Waiter');
    const mine = item.events.filter((event) => event.actor === 'Sam Waiter').map((event) => event.type);
    expect(mine).toEqual(['responded', 'note', 'assigned', 'resolved', 're_review_requested', 'reopened']);
    expect(item.events.find((event) => event.type === 'assigned')?.data).toEqual({ to: 'Sam Waiter', userId: samId });

    const page = await sam.get(`/items/${id}`);
    expect(page.body).toContain('<strong>Sam Waiter</strong> · Marked responded: <q>Called her back.</q>');
    expect(page.body).toContain('Waiting for the customer');
  });

  test('a person without a display name acts under their email', async () => {
    const id = await insertItem(h.db, shopB);
    expect((await noName.post(`/items/${id}/note`, { text: 'Checked the booking.' })).statusCode).toBe(303);
    const item = await apiItem(id);
    expect(item.events.at(-1)).toMatchObject({ type: 'note', actor: 'nameless@bistro.test', data: { note: 'Checked the booking.' } });
  });

  test('assigning to a person puts the item under their Mine tab; Nobody unassigns', async () => {
    const id = await insertItem(h.db, shopA, { body: 'Assign me please' });
    await owner.post(`/items/${id}/assign`, { to: paulaId });
    expect((await scopedToA.get('/?tab=mine')).body).toContain(`data-id="${id}"`);
    expect((await owner.post(`/items/${id}/assign`, { to: '' })).headers.location).toBe(`/items/${id}?done=unassign`);
    expect((await scopedToA.get('/?tab=mine')).body).not.toContain(`data-id="${id}"`);
    expect((await apiItem(id)).events.at(-1)).toMatchObject({ type: 'unassigned', actor: 'Olive' });
  });

  test('the assign list offers only owners and staff who can see the business', async () => {
    const id = await insertItem(h.db, shopB);
    const page = await owner.get(`/items/${id}`);
    expect(page.body).toContain(`value="${samId}"`);
    expect(page.body).not.toContain(`value="${paulaId}"`);
    expect(page.body).not.toContain('>Carl<');
    // Posted anyway: refused, naming the field.
    const refused = await owner.post(`/items/${id}/assign`, { to: paulaId });
    expect(refused.statusCode).toBe(400);
    expect(problemOf(refused.body)).toMatch(/^Give it to: choose a person from the list/);
  });
});

describe('refusals come back on the page, naming the problem and keeping what was typed', () => {
  test('an answer dated before publication', async () => {
    const id = await insertItem(h.db, shopA, { published_at: '2026-03-01T09:00:00Z', sort_at: '2026-03-01T09:00:00Z' });
    const response = await sam.post(`/items/${id}/respond`, { at: '2026-02-28T08:00', note: 'Phoned on the 28th' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body)).toBe('When it really happened: that is before the review was published (1 Mar 2026, 10:00).');
    expect(response.body).toContain('value="2026-02-28T08:00"');
    expect(response.body).toContain('>Phoned on the 28th</textarea>');
    expect((await apiItem(id)).status).toBe('new');
  });

  test('an answer dated in the future, and a time that is not one', async () => {
    const id = await insertItem(h.db, shopA);
    const future = await sam.post(`/items/${id}/respond`, { at: '2999-01-01T10:00' });
    expect(future.statusCode).toBe(400);
    expect(problemOf(future.body)).toBe('When it really happened: that time has not come yet.');
    const nonsense = await sam.post(`/items/${id}/respond`, { at: 'yesterday' });
    expect(nonsense.statusCode).toBe(400);
    expect(problemOf(nonsense.body)).toMatch(/^When it really happened: enter a date and a time/);
  });

  test('reopening an item that is not resolved', async () => {
    const id = await insertItem(h.db, shopA);
    const response = await sam.post(`/items/${id}/reopen`, { reason: 'It broke again' });
    expect(response.statusCode).toBe(409);
    expect(problemOf(response.body)).toBe('Only a resolved item can be reopened; this one is new.');
  });

  test('a re-review before the fix, and a second one while the first waits', async () => {
    const id = await insertItem(h.db, shopA);
    const early = await sam.post(`/items/${id}/re-review`, { channel: 'email', note: 'Asked by mail' });
    expect(early.statusCode).toBe(409);
    expect(problemOf(early.body)).toBe('Ask for a re-review after the fix: resolve the item first (it is new).');
    await sam.post(`/items/${id}/resolve`, {});
    expect((await sam.post(`/items/${id}/re-review`, { channel: 'email' })).statusCode).toBe(303);
    const again = await sam.post(`/items/${id}/re-review`, { channel: 'phone' });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again.body)).toMatch(/^A re-review request is already waiting for the customer since /);
  });

  test('empty notes and reasons, and an unknown channel', async () => {
    const id = await insertItem(h.db, shopA);
    expect(problemOf((await sam.post(`/items/${id}/note`, { text: '   ' })).body)).toBe('Note: write something to keep.');
    await sam.post(`/items/${id}/resolve`, {});
    expect(problemOf((await sam.post(`/items/${id}/reopen`, { reason: '' })).body)).toBe('Why the fix did not hold: say what went wrong again.');
    const channel = await sam.post(`/items/${id}/re-review`, { channel: 'carrier pigeon' });
    expect(channel.statusCode).toBe(400);
    expect(problemOf(channel.body)).toBe('How you asked: choose one from the list.');
  });
});

describe('who may see and do what', () => {
  test('a consultant reads the item with no buttons, and any action they post is the 403 page', async () => {
    const id = await insertItem(h.db, shopA);
    const page = await consultant.get(`/items/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`action="/items/${id}/`);
    for (const action of ['respond', 'resolve', 'reopen', 'assign', 'note', 're-review']) {
      const response = await consultant.post(`/items/${id}/${action}`, { text: 'x', reason: 'x', channel: 'email' });
      expect(response.statusCode).toBe(403);
    }
    expect((await apiItem(id)).events.map((event) => event.type)).toEqual(['detected']);
  });

  test("a person scoped to business A gets the 404 page for B's item, and cannot act on it", async () => {
    const id = await insertItem(h.db, shopB);
    const page = await scopedToA.get(`/items/${id}`);
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect((await scopedToA.post(`/items/${id}/note`, { text: 'sneaky' })).statusCode).toBe(404);
    expect((await scopedToA.get(`/items/${h.stranger.sourceId}`)).statusCode).toBe(404);
    expect((await scopedToA.get('/items/not-a-uuid')).statusCode).toBe(404);
  });

  test("another account's item is the 404 page", async () => {
    const id = await insertItem(h.db, h.stranger);
    expect((await owner.get(`/items/${id}`)).statusCode).toBe(404);
    expect((await owner.post(`/items/${id}/resolve`, {})).statusCode).toBe(404);
  });

  test('a form without the page token is refused', async () => {
    const id = await insertItem(h.db, shopA);
    const response = await sam.post(`/items/${id}/note`, { text: 'x', _csrf: '' });
    expect(response.statusCode).toBe(403);
  });

  test('signed out, the item page sends the person to sign in and back to it', async () => {
    const id = await insertItem(h.db, shopA);
    const response = await h.app.inject({ method: 'GET', url: `/items/${id}` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/items/${id}`)}`);
  });
});
