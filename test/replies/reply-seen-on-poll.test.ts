import nock from 'nock';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { listReplies } from '../../db/repositories/item-replies.ts';
import { ingestPage, type IngestResult } from '../../services/ingest/ingest-page.ts';
import { createReply } from '../../services/replies/create-reply.ts';
import { sendReply, type SendReplyDeps } from '../../services/replies/send-reply.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';
import { allPages, testContext, type TestContext } from '../connectors/connector-context.ts';
import { offlineWithNock } from '../connectors/offline-with-nock.ts';
import { createApiHarness } from '../support/api.ts';
import { GOOGLE_API, GOOGLE_CONFIG, GOOGLE_CREDENTIALS, googleReview, googleSource, replyAccepted, reviewShows, tokens } from './google-reviews.ts';

/**
 * A reply sent from Earshot, then seen again by later polls of Google Business Profile:
 * the poll moves its moderation along (pending → published or rejected, with Google's
 * reason) and never counts it as a second answer. The polls run the real connector over
 * nock'd Google and store through the real ingest, on real PostgreSQL.
 */

const h = await createApiHarness({ config: { replyUndoSeconds: 0 } });
afterAll(() => h.close());
let ctx: TestContext | undefined;
offlineWithNock(() => ctx?.http.close());
beforeAll(() => {
  // Only Google is nock'd; the test's own PostgreSQL and Redis are on loopback.
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});

const scope = { accountId: h.tenant.accountId, businessIds: null };
const log = pino({ level: 'silent' });
const deps: SendReplyDeps = {
  db: h.db,
  config: h.config,
  credentialsKey: h.credentialsKey,
  budget: createRequestBudget(h.queues.connection, `${h.queues.prefix}:budget`),
  log,
};
const settings = googleBusiness.parseConfig(GOOGLE_CONFIG, GOOGLE_CREDENTIALS);
const REVIEWS = '/v4/accounts/1122334455/locations/9988776655/reviews';

type GoogleReply = { comment: string; updateTime: string; [field: string]: unknown };

/** One location with one 1-star review, polled through the Google connector. */
interface Location {
  reviewId: string;
  itemId: string;
  /** Polls Google showing the review with `reply` under it (null: none); returns what ingest did. */
  poll(reply: GoogleReply | null): Promise<IngestResult[]>;
}

let counter = 0;
async function location(): Promise<Location> {
  counter++;
  const business = await createBusiness(h.db, h.tenant.accountId, { name: `Soup Kitchen ${counter}`, timezone: 'UTC', alertEmails: ['o@example.com'] });
  const sourceId = await googleSource(h.db, h.credentialsKey, { accountId: h.tenant.accountId, businessId: business.id });
  const source = { id: sourceId, account_id: h.tenant.accountId, business_id: business.id };
  const reviewId = `seen-on-poll-${counter}`;
  let cursor: unknown = null;
  const poll = async (reply: GoogleReply | null) => {
    tokens();
    // The review keeps its own times; only the reply under it changes.
    nock(GOOGLE_API).get(REVIEWS).query(true).reply(200, { reviews: [googleReview(reviewId, reply)] });
    ctx = testContext({ platform: 'google_business', now: new Date() });
    const pages = await allPages(googleBusiness.fetch(settings.config, settings.credentials, cursor, ctx));
    const results: IngestResult[] = [];
    for (const page of pages) results.push(await ingestPage(h.db, source, page));
    cursor = JSON.parse(JSON.stringify(pages.at(-1)?.cursor ?? null));
    return results;
  };
  const first = await poll(null);
  expect(first.reduce((sum, result) => sum + result.inserted, 0)).toBe(1);
  const item = await h.db.selectFrom('items').select('id').where('source_id', '=', sourceId).where('external_id', '=', reviewId).executeTakeFirstOrThrow();
  return { reviewId, itemId: item.id, poll };
}

/** A staff member's reply, sent at once (no undo window here), Google answering the PUT with `answer`'s fields. */
async function replied(at: Location, text: string, answer: Record<string, unknown>) {
  const reply = await createReply({ ...h, log }, scope, at.itemId, { text, replaces: null, author: 'Sam Staff', authorUserId: null });
  if (reply === undefined) throw new Error('the item is out of scope');
  await h.queues.replies.remove(`reply-${reply.id}`);
  tokens();
  // Read before posting (nothing there), then read again for the moderation when the PUT's answer carries none.
  reviewShows(at.reviewId, null, 2);
  replyAccepted(at.reviewId, text, answer);
  await sendReply(reply.id, deps);
  return reply.id;
}

const replyRow = (id: string) => h.db.selectFrom('item_replies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const itemRow = (id: string) =>
  h.db.selectFrom('items').select(['status', 'first_response_at', 'first_response_source', 'responded_at', 'owner_reply_text', 'owner_reply_at']).where('id', '=', id).executeTakeFirstOrThrow();
const eventTypes = async (id: string) =>
  (await h.db.selectFrom('item_events').select('type').where('item_id', '=', id).orderBy('at').orderBy('id').execute()).map((event) => event.type);
const repliesSeen = (results: IngestResult[]) => results.reduce((sum, result) => sum + result.repliesSeen, 0);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('a reply held for Google’s moderation', () => {
  test('is published once a later poll shows it approved, and counts once as the item’s answer', async () => {
    const at = await location();
    const text = 'So sorry, Pat. Dinner is on us next time.';
    const replyId = await replied(at, text, { reviewReplyState: 'PENDING' });
    expect(await replyRow(replyId)).toMatchObject({ status: 'pending_moderation', reason: null });
    const answered = await itemRow(at.itemId);
    expect(answered).toMatchObject({ status: 'responded', first_response_source: 'reply', owner_reply_text: text });

    // Still pending (Google re-wraps the words): nothing moves, nothing is counted.
    const shown = 'So sorry, Pat.\nDinner is on us next time.';
    const replyTime = later(0);
    const stillPending = await at.poll({ comment: shown, updateTime: replyTime, reviewReplyState: 'PENDING' });
    expect(repliesSeen(stillPending)).toBe(0);
    expect(await replyRow(replyId)).toMatchObject({ status: 'pending_moderation' });

    // Approved: the words and every time are unchanged, only the state moves; the connector reports it all the same.
    const approved = await at.poll({ comment: shown, updateTime: replyTime, reviewReplyState: 'APPROVED' });
    expect(approved.flatMap((result) => result.toAnalyze)).toEqual([]);
    expect(repliesSeen(approved)).toBe(0);
    const row = await replyRow(replyId);
    expect(row).toMatchObject({ status: 'published', reason: null });
    expect(row.published_at).not.toBeNull();

    expect(await itemRow(at.itemId)).toEqual(answered);
    expect(await eventTypes(at.itemId)).toEqual(['replied']);
    // What the item page reads.
    expect((await listReplies(h.db, scope, at.itemId)).map((reply) => [reply.status, reply.reason])).toEqual([['published', null]]);
  });

  test('is rejected with Google’s policy violation once a later poll shows it refused', async () => {
    const at = await location();
    const text = 'Call me on 555-0100 and I will sort it out.';
    const replyId = await replied(at, text, { reviewReplyState: 'PENDING' });

    await at.poll({ comment: text, updateTime: later(0), reviewReplyState: 'REJECTED', policyViolation: { type: 'PERSONAL_INFORMATION' } });

    const reason = 'Google rejected the reply under its content policy: personal information.';
    expect(await replyRow(replyId)).toMatchObject({ status: 'rejected', reason });
    expect((await listReplies(h.db, scope, at.itemId)).map((reply) => [reply.status, reply.reason])).toEqual([['rejected', reason]]);
    expect(await eventTypes(at.itemId)).toEqual(['replied']);

    // Seen rejected again: already so, nothing more happens.
    await at.poll({ comment: text, updateTime: later(0), reviewReplyState: 'REJECTED', policyViolation: { type: 'PERSONAL_INFORMATION' } });
    expect(await replyRow(replyId)).toMatchObject({ status: 'rejected', reason });
  });

  test('is not moved by a reply with other words (changed in Google’s own app)', async () => {
    const at = await location();
    const replyId = await replied(at, 'We are sorry.', { reviewReplyState: 'PENDING' });

    await at.poll({ comment: 'We are sorry. The manager will call you.', updateTime: later(1), reviewReplyState: 'APPROVED' });

    expect(await replyRow(replyId)).toMatchObject({ status: 'pending_moderation' });
  });
});

describe('our own reply seen as the owner reply', () => {
  test('a poll showing our published reply does not create a second first response', async () => {
    const at = await location();
    const text = 'Thank you for telling us, Pat.';
    // Google answers the PUT without a moderation state, and the review read after it shows none either: published.
    const replyId = await replied(at, text, {});
    expect(await replyRow(replyId)).toMatchObject({ status: 'published' });
    const answered = await itemRow(at.itemId);
    expect(answered).toMatchObject({ status: 'responded', first_response_source: 'reply' });

    // Google dates its reply a little before Earshot noted the acceptance; it is still ours, already counted.
    const earlier = new Date(answered.first_response_at!.getTime() - 5_000).toISOString();
    const results = await at.poll({ comment: text, updateTime: earlier });
    expect(repliesSeen(results)).toBe(0);

    expect(await itemRow(at.itemId)).toEqual(answered);
    expect(await eventTypes(at.itemId)).toEqual(['replied']);
    expect(await replyRow(replyId)).toMatchObject({ status: 'published' });
  });

  test('a reply Google rejected answers nothing, on the poll that sees it either', async () => {
    const at = await location();
    const text = 'Visit our new shop!';
    const replyId = await replied(at, text, { reviewReplyState: 'REJECTED', policyViolation: 'OFF_TOPIC' });
    expect(await replyRow(replyId)).toMatchObject({ status: 'rejected' });

    const results = await at.poll({ comment: text, updateTime: later(0), reviewReplyState: 'REJECTED', policyViolation: 'OFF_TOPIC' });

    expect(repliesSeen(results)).toBe(0);
    expect(await itemRow(at.itemId)).toMatchObject({ status: 'new', first_response_at: null, responded_at: null, owner_reply_text: null });
    expect(await eventTypes(at.itemId)).toEqual([]);
    expect(await replyRow(replyId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('off topic') });
  });
});
