import { afterAll, expect, test } from 'vitest';
import { closeRequestsAsRemoved } from '../../db/repositories/re-reviews.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { reReviewExpiry } from '../../services/scheduler/re-review-expiry.ts';
import { createApiHarness } from '../support/api.ts';
import { review } from '../support/items.ts';
import { askedToReReview as askReReview } from '../support/re-reviews.ts';

const h = await createApiHarness({ config: { reReviewExpireDays: 30 } });
afterAll(() => h.close());

const source = { id: h.tenant.sourceId, account_id: h.tenant.accountId, business_id: h.tenant.businessId };
const silentLog = { info: () => {} } as never;

const askedToReReview = (externalId: string, rating: number) => askReReview(h, source, externalId, rating);

const requestOf = (itemId: string) =>
  h.db.selectFrom('re_review_requests').selectAll().where('item_id', '=', itemId).executeTakeFirstOrThrow();

test('an edited review closes the pending request as revised, with the ratings and the time it took', async () => {
  const id = await askedToReReview('loop-1', 2);
  const edited = { ...review('loop-1', 4, 'Cold food, but they made it right.'), updatedAt: new Date(Date.now() + 1000) };
  const result = await ingestPage(h.db, source, { items: [edited], cursor: null });
  expect(result.revised).toBe(1);

  const request = await requestOf(id);
  expect(request).toMatchObject({ status: 'revised', rating_before: 2, rating_after: 4 });
  expect(request.closed_at).not.toBeNull();
  expect(request.closed_at!.getTime()).toBeGreaterThanOrEqual(request.requested_at.getTime());

  const item = (await h.call({ method: 'GET', url: `/v1/items/${id}` })).json();
  const types = item.events.map((event: { type: string }) => event.type);
  expect(types.slice(-3)).toEqual(['re_review_requested', 'revised', 're_review_outcome']);
  expect(item.events.at(-1)).toMatchObject({ actor: 'platform', data: { outcome: 'revised', ratingBefore: 2, ratingAfter: 4, days: expect.any(Number) } });

  // The same page again changes nothing; a later edit has no open request to close.
  await ingestPage(h.db, source, { items: [edited], cursor: null });
  await ingestPage(h.db, source, { items: [review('loop-1', 5, 'Now they are great.')], cursor: null });
  expect(await h.db.selectFrom('re_review_requests').select('status').where('item_id', '=', id).execute()).toEqual([{ status: 'revised' }]);
});

test('an edit dated before the request is dated when Earshot saw it', async () => {
  const id = await askedToReReview('loop-2', 1);
  const before = Date.now();
  await ingestPage(h.db, source, { items: [{ ...review('loop-2', 1, 'Edited long ago.'), updatedAt: new Date('2020-01-01T00:00:00Z') }], cursor: null });
  const request = await requestOf(id);
  expect(request.status).toBe('revised');
  expect(request.closed_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
});

test('a request with no edit expires after RE_REVIEW_EXPIRE_DAYS, once per hour at most', async () => {
  const id = await askedToReReview('loop-3', 2);
  const fresh = await askedToReReview('loop-4', 2);
  await h.db.updateTable('re_review_requests').set({ requested_at: new Date(Date.now() - 31 * 86_400_000) }).where('item_id', '=', id).execute();
  const expire = reReviewExpiry({ db: h.db, config: h.config, log: silentLog });

  expect(await expire()).toBe(1);
  expect((await requestOf(id)).status).toBe('expired');
  expect((await requestOf(fresh)).status).toBe('pending');
  // Throttled: a second call in the same hour does nothing.
  await h.db.updateTable('re_review_requests').set({ requested_at: new Date(Date.now() - 31 * 86_400_000) }).where('item_id', '=', fresh).execute();
  expect(await expire()).toBe(0);
  expect(await expire(new Date(Date.now() + 3600_000))).toBe(1);

  const item = (await h.call({ method: 'GET', url: `/v1/items/${id}` })).json();
  expect(item.events.at(-1)).toMatchObject({ type: 're_review_outcome', actor: 'system', data: { outcome: 'expired', ratingAfter: null } });
  // A later edit leaves an expired request alone.
  await ingestPage(h.db, source, { items: [review('loop-3', 5, 'Changed my mind.')], cursor: null });
  expect((await requestOf(id)).status).toBe('expired');
});

test('a removal closes the pending request as removed', async () => {
  const id = await askedToReReview('loop-5', 1);
  const closed = await h.db.transaction().execute((tx) => closeRequestsAsRemoved(tx, [id]));
  expect(closed).toBe(1);
  expect(await requestOf(id)).toMatchObject({ status: 'removed', rating_after: null });
});
