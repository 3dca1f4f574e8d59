import nock from 'nock';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { ingestPage } from '../../services/ingest/ingest-page.ts';
import { createReply } from '../../services/replies/create-reply.ts';
import { ReplyNotSentYet, sendReply, type SendReplyDeps } from '../../services/replies/send-reply.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';
import { createApiHarness, insertItem } from '../support/api.ts';
import { offlineWithNock } from '../connectors/offline-with-nock.ts';
import { googleSource, replyAccepted, reviewPath, reviewShows, tokens, GOOGLE_API } from './google-reviews.ts';

// No undo window here: each test sends at once, by calling the sender as the reply job does.
const h = await createApiHarness({ config: { replyUndoSeconds: 0 } });
afterAll(() => h.close());
offlineWithNock(() => undefined);
beforeAll(() => {
  // Only the platform is nock'd; the test's own PostgreSQL and Redis are on loopback.
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});

/** The tenant's owner, as a scope: every business of the account. */
const scope = { accountId: h.tenant.accountId, businessIds: null };

const deps: SendReplyDeps = {
  db: h.db,
  config: h.config,
  credentialsKey: h.credentialsKey,
  budget: createRequestBudget(h.queues.connection, `${h.queues.prefix}:budget`),
  log: pino({ level: 'silent' }),
};

let counter = 0;
/** A fresh business with a Google source and a 1-star review on it. */
async function googleReview(): Promise<{ itemId: string; reviewId: string; sourceId: string; businessId: string }> {
  counter++;
  const business = await createBusiness(h.db, h.tenant.accountId, { name: `Diner ${counter}`, timezone: 'UTC', alertEmails: ['o@example.com'] });
  const owner = { accountId: h.tenant.accountId, businessId: business.id };
  const sourceId = await googleSource(h.db, h.credentialsKey, owner);
  const reviewId = `review-${counter}`;
  const itemId = await insertItem(h.db, { ...owner, sourceId }, { external_id: reviewId, rating: 1, body: 'Cold soup, rude waiter.', published_at: new Date(Date.now() - 3_600_000) });
  return { itemId, reviewId, sourceId, businessId: business.id };
}

async function scheduled(itemId: string, text: string, replaces: string | null = null) {
  const reply = await createReply({ ...h, log: deps.log }, scope, itemId, { text, replaces, author: 'Sam Staff', authorUserId: null });
  if (reply === undefined) throw new Error('the item is out of scope');
  // The job waits for the window's end; here the window is empty, so it is taken off the queue to be run by hand.
  await h.queues.replies.remove(`reply-${reply.id}`);
  return reply;
}

const replyRow = (id: string) => h.db.selectFrom('item_replies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const itemRow = (id: string) => h.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const events = (id: string) => h.db.selectFrom('item_events').select(['type', 'actor', 'data']).where('item_id', '=', id).orderBy('at').orderBy('id').execute();

describe('publishing', () => {
  test('reads the review, publishes once, and makes the reply the item’s first response under its author', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    const read = reviewShows(reviewId, null);
    const put = replyAccepted(reviewId, 'So sorry, Pat. Dinner is on us next time.');
    const reply = await scheduled(itemId, '  So sorry, Pat. Dinner is on us next time.\n');
    const before = new Date();

    expect(await sendReply(reply.id, deps)).toEqual({ outcome: 'published' });
    expect(read.isDone()).toBe(true);
    expect(put.puts()).toBe(1);

    const row = await replyRow(reply.id);
    expect(row).toMatchObject({ status: 'published', reason: null, claim_token: null, attempts: 1 });
    const item = await itemRow(itemId);
    expect(item).toMatchObject({ status: 'responded', first_response_source: 'reply', owner_reply_text: 'So sorry, Pat. Dinner is on us next time.' });
    expect(item.first_response_at?.getTime()).toBe(row.published_at?.getTime());
    expect(item.first_response_at!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(item.responded_at?.getTime()).toBe(item.first_response_at?.getTime());
    expect(await events(itemId)).toEqual([
      { type: 'replied', actor: 'Sam Staff', data: { replyId: reply.id, text: 'So sorry, Pat. Dinner is on us next time.', state: 'published' } },
    ]);

    // Sending again (a duplicate job) finds it finished and asks the platform nothing.
    expect(await sendReply(reply.id, deps)).toMatchObject({ outcome: 'skipped' });
  });

  test('a later poll that sees our reply on the platform does not count it again', async () => {
    const { itemId, reviewId, sourceId, businessId } = await googleReview();
    tokens();
    reviewShows(reviewId, null);
    replyAccepted(reviewId);
    const reply = await scheduled(itemId, 'Thank you for telling us.');
    await sendReply(reply.id, deps);
    const answered = await itemRow(itemId);

    await ingestPage(h.db, { id: sourceId, account_id: h.tenant.accountId, business_id: businessId }, {
      cursor: null,
      items: [
        {
          externalId: reviewId, kind: 'review', url: null, author: 'Pat', rating: 1, title: null, body: 'Cold soup, rude waiter.', language: null,
          publishedAt: answered.published_at, updatedAt: null, raw: {},
          ownerReply: { text: 'Thank you for telling us.', at: new Date(Date.now() - 60_000) },
        },
      ],
    });
    const after = await itemRow(itemId);
    expect(after.first_response_at).toEqual(answered.first_response_at);
    expect(after.first_response_source).toBe('reply');
    // (The item was written by hand, so the poll also sees it as revised; that is beside the point.)
    expect((await events(itemId)).map((e) => e.type).filter((type) => type !== 'revised')).toEqual(['replied']);
  });

  test('our text already on the platform (an earlier attempt got through) is recorded without posting again', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    reviewShows(reviewId, { comment: 'Thank you,   Pat.\nSee you soon.', updateTime: new Date().toISOString() });
    const put = nock(GOOGLE_API).put(`${reviewPath(reviewId)}/reply`).reply(200, {});
    const reply = await scheduled(itemId, 'Thank you, Pat. See you soon.');

    expect(await sendReply(reply.id, deps)).toEqual({ outcome: 'published' });
    expect(put.isDone()).toBe(false);
    expect(await itemRow(itemId)).toMatchObject({ status: 'responded', first_response_source: 'reply' });
  });

  test('a reply Google holds for moderation still answers the item; a rejected one does not, and keeps Google’s reason', async () => {
    const pending = await googleReview();
    tokens();
    reviewShows(pending.reviewId, null);
    replyAccepted(pending.reviewId, undefined, { reviewReplyState: 'PENDING' });
    const first = await scheduled(pending.itemId, 'We are sorry.');
    expect(await sendReply(first.id, deps)).toEqual({ outcome: 'pending_moderation' });
    expect(await itemRow(pending.itemId)).toMatchObject({ status: 'responded', first_response_source: 'reply' });

    const rejected = await googleReview();
    reviewShows(rejected.reviewId, null);
    replyAccepted(rejected.reviewId, undefined, { reviewReplyState: 'REJECTED', policyViolation: 'OFF_TOPIC' });
    const second = await scheduled(rejected.itemId, 'Visit our new shop!');
    expect(await sendReply(second.id, deps)).toEqual({ outcome: 'rejected' });
    expect(await replyRow(second.id)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('off topic'), published_at: null });
    expect(await itemRow(rejected.itemId)).toMatchObject({ status: 'new', first_response_at: null, owner_reply_text: null });
  });
});

describe('never over someone else', () => {
  test('an owner reply sent in Google’s own app stops the send, and the item shows that reply as its answer', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    reviewShows(reviewId, { comment: 'Hi Pat, the manager here: call me.', updateTime: new Date(Date.now() - 60_000).toISOString() });
    const put = nock(GOOGLE_API).put(`${reviewPath(reviewId)}/reply`).reply(200, {});
    const reply = await scheduled(itemId, 'So sorry, Pat.');

    expect(await sendReply(reply.id, deps)).toEqual({ outcome: 'stopped' });
    expect(put.isDone()).toBe(false);
    expect((await replyRow(reply.id)).reason).toMatch(/already shows a reply that was not sent from Earshot/);
    expect(await itemRow(itemId)).toMatchObject({ owner_reply_text: 'Hi Pat, the manager here: call me.', first_response_source: 'platform', status: 'responded' });
    expect((await events(itemId)).map((e) => e.type)).toEqual(['platform_reply_seen']);
  });

  test('a change is published over our current reply, and stopped once the platform shows another', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    reviewShows(reviewId, null);
    replyAccepted(reviewId, 'Sorry, Pat.');
    const first = await scheduled(itemId, 'Sorry, Pat.');
    await sendReply(first.id, deps);
    const answered = await itemRow(itemId);

    reviewShows(reviewId, { comment: 'Sorry, Pat.' });
    const put = replyAccepted(reviewId, 'Sorry, Pat. The heater is fixed now.');
    const change = await scheduled(itemId, 'Sorry, Pat. The heater is fixed now.', first.id);
    expect(await sendReply(change.id, deps)).toEqual({ outcome: 'published' });
    expect(put.puts()).toBe(1);
    const changed = await itemRow(itemId);
    // The first answer stays the first response.
    expect(changed.first_response_at).toEqual(answered.first_response_at);
    expect(changed.owner_reply_text).toBe('Sorry, Pat. The heater is fixed now.');

    reviewShows(reviewId, { comment: 'Edited by the manager in Google.' });
    const third = await scheduled(itemId, 'Third try.', change.id);
    expect(await sendReply(third.id, deps)).toEqual({ outcome: 'stopped' });
    expect((await itemRow(itemId)).owner_reply_text).toBe('Edited by the manager in Google.');
  });
});

describe('failures', () => {
  test('Google down, then up: released for a retry, and the retry posts exactly once', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    reviewShows(reviewId, null);
    nock(GOOGLE_API).put(`${reviewPath(reviewId)}/reply`).reply(503, { error: { code: 503, message: 'Backend Error' } });
    const reply = await scheduled(itemId, 'Sorry, Pat.');

    await expect(sendReply(reply.id, deps)).rejects.toBeInstanceOf(ReplyNotSentYet);
    // Released, not scheduled again: it can no longer be cancelled, for the PUT may have got through.
    expect(await replyRow(reply.id)).toMatchObject({ status: 'sending', claim_token: null, last_error: expect.stringContaining('503') });

    reviewShows(reviewId, null);
    const put = replyAccepted(reviewId, 'Sorry, Pat.');
    expect(await sendReply(reply.id, deps)).toEqual({ outcome: 'published' });
    expect(put.puts()).toBe(1);
    expect(await replyRow(reply.id)).toMatchObject({ status: 'published', attempts: 2 });
  });

  test('a rate limit is retried after the wait Google asked for', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    nock(GOOGLE_API).get(reviewPath(reviewId)).reply(429, {}, { 'retry-after': '7' });
    const reply = await scheduled(itemId, 'Sorry, Pat.');
    const error = await sendReply(reply.id, deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyNotSentYet);
    expect((error as ReplyNotSentYet).retryAfterMs).toBe(7000);
  });

  test('403 (an unverified location) fails the reply with what to do', async () => {
    const { itemId, reviewId } = await googleReview();
    tokens();
    reviewShows(reviewId, null);
    nock(GOOGLE_API).put(`${reviewPath(reviewId)}/reply`).reply(403, { error: { code: 403, message: 'The caller does not have permission' } });
    const reply = await scheduled(itemId, 'Sorry, Pat.');

    expect(await sendReply(reply.id, deps)).toEqual({ outcome: 'failed' });
    const row = await replyRow(reply.id);
    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(/verified locations/);
    expect(row.reason).toMatch(/then send the reply again/);
    expect(row.reason).not.toContain('GOCSPX');
    expect(await itemRow(itemId)).toMatchObject({ status: 'new', first_response_at: null });
  });

  test('a reply still in its undo window, or cancelled, is not sent', async () => {
    const { itemId } = await googleReview();
    const reply = await createReply({ ...h, config: { ...h.config, replyUndoSeconds: 60 } }, scope, itemId, { text: 'Later.', replaces: null, author: 'Sam', authorUserId: null });
    await expect(sendReply(reply!.id, deps)).rejects.toThrow('undo window');
    await h.db.updateTable('item_replies').set({ status: 'cancelled' }).where('id', '=', reply!.id).execute();
    expect(await sendReply(reply!.id, deps)).toMatchObject({ outcome: 'skipped' });
  });
});
