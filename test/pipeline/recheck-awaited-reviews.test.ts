import { afterAll, beforeEach, expect, test } from 'vitest';
import { ConnectorError, type Connector, type Recheck } from '../../connectors/contract.ts';
import { findConnector } from '../../connectors/registry.ts';
import { RECHECKS_PER_POLL, recheckAwaitedReviews } from '../../services/sources/recheck-awaited-reviews.ts';
import { createApiHarness } from '../support/api.ts';
import { review } from '../support/items.ts';
import { askedToReReview } from '../support/re-reviews.ts';
import { testContext } from '../connectors/connector-context.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const source = { id: h.tenant.sourceId, account_id: h.tenant.accountId, business_id: h.tenant.businessId };
const silentLog = { warn: () => {}, info: () => {}, debug: () => {} } as never;

/** The platform's side: what it answers, and every list of ids it was asked about. */
let answer: (ids: string[]) => Recheck | Promise<Recheck>;
let asked: string[][];
const connector: Connector = {
  ...findConnector('trustpilot')!,
  async recheck(_config, _credentials, ids) {
    asked.push(ids);
    return answer(ids);
  },
};
const recheck = (now = new Date()) => recheckAwaitedReviews(h.db, source, connector, { config: {}, credentials: {} }, testContext({ now }), silentLog);

beforeEach(async () => {
  asked = [];
  // Each test starts with no request pending.
  await h.db.updateTable('re_review_requests').set({ status: 'expired', closed_at: new Date() }).where('status', '=', 'pending').execute();
});

const requestOf = (itemId: string) => h.db.selectFrom('re_review_requests').selectAll().where('item_id', '=', itemId).executeTakeFirstOrThrow();

test('an older review edited on the platform closes its request as revised; the edit is queued for analysis', async () => {
  const id = await askedToReReview(h, source, 'old-1', 2);
  answer = () => ({ items: [{ ...review('old-1', 5, 'They fixed it, thank you.'), updatedAt: new Date() }], removed: [] });
  const outcome = await recheck();
  expect(asked).toEqual([['old-1']]);
  expect(outcome.asked).toBe(1);
  expect(outcome.ingested).toMatchObject({ revised: 1, removed: 0, toAnalyze: [id] });
  expect(await requestOf(id)).toMatchObject({ status: 'revised', rating_before: 2, rating_after: 5 });
});

test('a review the platform says is gone is kept, marked removed, and its request closed as removed', async () => {
  const id = await askedToReReview(h, source, 'old-2', 1);
  answer = (ids) => ({ items: [], removed: ids });
  expect((await recheck()).ingested).toMatchObject({ removed: 1 });
  expect(await requestOf(id)).toMatchObject({ status: 'removed' });
  const item = await h.db.selectFrom('items').select('removed_at').where('id', '=', id).executeTakeFirstOrThrow();
  expect(item.removed_at).not.toBeNull();
});

test('no clear answer changes nothing; the same item is asked again only after an hour', async () => {
  const id = await askedToReReview(h, source, 'old-3', 2);
  answer = () => ({ items: [], removed: [] });
  await recheck();
  expect((await requestOf(id)).status).toBe('pending');
  expect((await requestOf(id)).last_checked_at).not.toBeNull();
  expect((await recheck()).asked).toBe(0);
  expect((await recheck(new Date(Date.now() + 61 * 60_000))).asked).toBe(1);
  expect(asked).toEqual([['old-3'], ['old-3']]);
});

test('a failed lookup is logged, not marked: the next poll asks again', async () => {
  const id = await askedToReReview(h, source, 'old-4', 2);
  answer = () => {
    throw new ConnectorError('rate_limited', 'slow down', { retryAfterMs: 60_000 });
  };
  expect(await recheck()).toEqual({ asked: 1, ingested: null });
  expect((await requestOf(id)).last_checked_at).toBeNull();
  answer = () => ({ items: [], removed: [] });
  expect((await recheck()).asked).toBe(1);
});

test('an answer about items not asked for touches nothing else', async () => {
  const id = await askedToReReview(h, source, 'old-5', 2);
  const bystander = await askedToReReview(h, source, 'old-6', 2);
  await h.db.updateTable('re_review_requests').set({ last_checked_at: new Date() }).where('item_id', '=', bystander).execute();
  answer = () => ({ items: [review('old-6', 5, 'Changed by someone else?')], removed: ['old-6', 'never-stored'] });
  await recheck();
  expect(asked).toEqual([['old-5']]);
  expect((await requestOf(id)).status).toBe('pending');
  expect(await requestOf(bystander)).toMatchObject({ status: 'pending', rating_after: null });
});

test(`at most ${RECHECKS_PER_POLL} per poll, least recently checked first, so every request gets its turn`, async () => {
  const ids: string[] = [];
  for (let n = 0; n < RECHECKS_PER_POLL + 5; n++) ids.push(`many-${n}`);
  for (const externalId of ids) await askedToReReview(h, source, externalId, 2);
  answer = () => ({ items: [], removed: [] });
  await recheck();
  await recheck();
  expect(asked.map((list) => list.length)).toEqual([RECHECKS_PER_POLL, 5]);
  expect(new Set(asked.flat())).toEqual(new Set(ids));
});

test('a connector that cannot look items up is not asked', async () => {
  await askedToReReview(h, source, 'old-7', 2);
  const { recheck: _none, ...withoutRecheck } = connector;
  const outcome = await recheckAwaitedReviews(h.db, source, withoutRecheck, { config: {}, credentials: {} }, testContext(), silentLog);
  expect(outcome).toEqual({ asked: 0, ingested: null });
});
