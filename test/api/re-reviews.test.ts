import { afterAll, describe, expect, test } from 'vitest';
import type { ReReviewChannel, ReReviewStatus } from '../../db/schema.ts';
import { addKey, createApiHarness, freshSource, insertItem, type TestItem } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const ask = (id: string, payload: object, key?: string) =>
  h.call({ method: 'POST', url: `/v1/items/${id}/re-review-requests`, payload, ...(key && { key }) });

describe('POST /v1/items/:id/re-review-requests', () => {
  test('a resolved item gets a pending request with the rating as it was', async () => {
    const id = await insertItem(h.db, h.tenant, { rating: 2 });
    await h.call({ method: 'POST', url: `/v1/items/${id}/resolve` });
    const response = await ask(id, { channel: 'phone', note: 'Called after the repair.' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.any(String),
      itemId: id,
      businessId: h.tenant.businessId,
      channel: 'phone',
      note: 'Called after the repair.',
      requestedBy: 'Alice owner',
      requestedAt: expect.any(String),
      status: 'pending',
      ratingBefore: 2,
      ratingAfter: null,
      closedAt: null,
    });
  });

  test('an item that is not resolved yet is refused with a reason', async () => {
    const id = await insertItem(h.db, h.tenant, { status: 'responded' });
    const response = await ask(id, { channel: 'email' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({ code: 'conflict', message: 'ask for a re-review only after the fix: resolve the item first (it is responded)' });
  });

  test('one open request per item', async () => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    expect((await ask(id, { channel: 'email' })).statusCode).toBe(201);
    const again = await ask(id, { channel: 'phone' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already pending');
  });

  test.each([
    [{}, 'body.channel'],
    [{ channel: 'sms' }, 'body.channel'],
    [{ channel: 'email', note: 'x'.repeat(5001) }, 'body.note'],
    [{ channel: 'email', incentive: 'coupon' }, 'body.incentive'],
  ])('%j is refused naming %s', async (payload, field) => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    const response = await ask(id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });

  test('a consultant key cannot ask', async () => {
    const id = await insertItem(h.db, h.tenant, { status: 'resolved', resolved_at: new Date() });
    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant');
    expect((await ask(id, { channel: 'email' }, consultant.key)).statusCode).toBe(403);
  });
});

describe('GET /v1/items/:id/re-review-requests', () => {
  const list = (id: string, key?: string) => h.call({ method: 'GET', url: `/v1/items/${id}/re-review-requests`, ...(key && { key }) });

  test("lists the item's requests newest first, with their outcomes", async () => {
    const id = await insertItem(h.db, h.tenant, { rating: 1, status: 'resolved', resolved_at: new Date() });
    const first = (await ask(id, { channel: 'phone', note: 'First call' })).json();
    await h.db.updateTable('re_review_requests').set({ status: 'expired', closed_at: new Date(), requested_at: new Date(Date.now() - 60_000) }).where('id', '=', first.id).execute();
    const second = (await ask(id, { channel: 'email' })).json();
    const response = await list(id);
    expect(response.statusCode).toBe(200);
    const { requests } = response.json();
    expect(requests.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'expired'],
    ]);
    expect(requests[1]).toMatchObject({ itemId: id, businessId: h.tenant.businessId, channel: 'phone', note: 'First call', ratingBefore: 1 });
  });

  test('an item never asked about has an empty list; a consultant may read it', async () => {
    const id = await insertItem(h.db, h.tenant);
    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant');
    const response = await list(id, consultant.key);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ requests: [] });
  });

  test("another account's item, an unknown id and a malformed id are not found", async () => {
    const foreign = await insertItem(h.db, h.stranger);
    for (const id of [foreign, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const response = await list(id);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });
});


interface Fixture {
  channel: ReReviewChannel;
  requested: string;
  status: ReReviewStatus;
  before?: number | null;
  after?: number | null;
  closed?: string;
}

async function request(owner: TestItem, fixture: Fixture): Promise<void> {
  const itemId = await insertItem(h.db, owner, { status: 'resolved', resolved_at: fixture.requested });
  await h.db
    .insertInto('re_review_requests')
    .values({
      account_id: owner.accountId,
      business_id: owner.businessId,
      item_id: itemId,
      channel: fixture.channel,
      requested_by: 'test',
      requested_at: fixture.requested,
      status: fixture.status,
      rating_before: fixture.before ?? null,
      rating_after: fixture.after ?? null,
      closed_at: fixture.closed ?? (fixture.status === 'pending' ? null : '2026-06-01T00:00:00Z'),
    })
    .execute();
}

// Figures below are worked out by hand from these requests.
const x = await freshSource(h);
const y = await freshSource(h);
await request(x, { channel: 'email', requested: '2026-01-10T00:00:00Z', status: 'revised', before: 1, after: 4, closed: '2026-01-12T00:00:00Z' });
await request(x, { channel: 'email', requested: '2026-01-20T00:00:00Z', status: 'revised', before: 2, after: 3, closed: '2026-01-24T00:00:00Z' });
await request(x, { channel: 'phone', requested: '2026-02-05T00:00:00Z', status: 'revised', before: 3, after: 2, closed: '2026-02-11T00:00:00Z' });
await request(x, { channel: 'phone', requested: '2026-02-07T00:00:00Z', status: 'expired', before: 1 });
await request(x, { channel: 'email', requested: '2026-02-08T00:00:00Z', status: 'pending', before: 1 });
await request(x, { channel: 'in_person', requested: '2026-02-09T00:00:00Z', status: 'removed', before: 1 });
await request(y, { channel: 'email', requested: '2026-01-15T00:00:00Z', status: 'revised', closed: '2026-01-16T00:00:00Z' });
await request(y, { channel: 'other', requested: '2026-03-01T00:00:00Z', status: 'pending' });
const zero = { requested: 0, revised: 0, removed: 0, expired: 0, pending: 0, improved: 0, averageRatingChange: null, medianRatingChange: null, medianDaysToRevision: null };

describe('GET /v1/metrics/re-reviews', () => {
  const metrics = async (query: string, key?: string) => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/re-reviews?${query}`, ...(key && { key }) });
    expect(response.statusCode).toBe(200);
    return response.json().groups;
  };

  test('by business, within [from, to)', async () => {
    const groups = await metrics('from=2026-01-01&to=2026-03-01&groupBy=business');
    const byKey = Object.fromEntries(groups.map((g: { key: string }) => [g.key, g]));
    expect(byKey[x.businessId]).toEqual({
      key: x.businessId,
      requested: 6, revised: 3, removed: 1, expired: 1, pending: 1, improved: 2,
      averageRatingChange: 1, medianRatingChange: 1, medianDaysToRevision: 4,
    });
    expect(byKey[y.businessId]).toEqual({ ...zero, key: y.businessId, requested: 1, revised: 1, medianDaysToRevision: 1 });
  });

  test('by channel for one business', async () => {
    expect(await metrics(`businessId=${x.businessId}&groupBy=channel`)).toEqual([
      { ...zero, key: 'email', requested: 3, revised: 2, pending: 1, improved: 2, averageRatingChange: 2, medianRatingChange: 2, medianDaysToRevision: 3 },
      { ...zero, key: 'in_person', requested: 1, removed: 1 },
      { ...zero, key: 'phone', requested: 2, revised: 1, expired: 1, averageRatingChange: -1, medianRatingChange: -1, medianDaysToRevision: 6 },
    ]);
  });

  test('by month, for a key limited to these two businesses (a consultant)', async () => {
    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant', [x.businessId, y.businessId]);
    expect(await metrics('groupBy=month', consultant.key)).toEqual([
      { ...zero, key: '2026-01-01', requested: 3, revised: 3, improved: 2, averageRatingChange: 2, medianRatingChange: 2, medianDaysToRevision: 2 },
      { ...zero, key: '2026-02-01', requested: 4, revised: 1, removed: 1, expired: 1, pending: 1, averageRatingChange: -1, medianRatingChange: -1, medianDaysToRevision: 6 },
      { ...zero, key: '2026-03-01', requested: 1, pending: 1 },
    ]);
  });

  test('a key limited to another business counts nothing of these', async () => {
    const staff = await addKey(h.db, h.tenant.accountId, 'staff', [h.tenant.businessId]);
    const keys = (await metrics('groupBy=business', staff.key)).map((g: { key: string }) => g.key);
    expect(keys).not.toContain(x.businessId);
  });

  test("another account's business is not found", async () => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/re-reviews?businessId=${h.stranger.businessId}` });
    expect(response.statusCode).toBe(404);
  });

  test.each([
    ['groupBy=week', 'query.groupBy'],
    ['from=yesterday', 'query.from'],
    ['to=2026-02-30T25:00:00Z', 'query.to'],
    ['from=2026-02-01&to=2026-01-01', 'query.to'],
    ['businessId=42', 'query.businessId'],
    ['sort=key', 'query.sort'],
  ])('%s is refused naming %s', async (query, field) => {
    const response = await h.call({ method: 'GET', url: `/v1/metrics/re-reviews?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
  });
});
