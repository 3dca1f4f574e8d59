import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createApiKey } from '../../services/keys/create-api-key.ts';
import { ingestAndQueue, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { googleSource, replyAccepted, reviewShows, tokens } from './google-reviews.ts';

let pipeline: Pipeline;
let staffKey: string;

beforeAll(async () => {
  pipeline = await startPipeline({ REPLY_UNDO_SECONDS: '1' });
  // Closed with the pipeline.
  pipeline.startWorkers();
  staffKey = (await createApiKey(pipeline.db, { accountId: pipeline.accountId, role: 'staff', name: 'Sam (staff)' })).key;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterAll(async () => {
  nock.enableNetConnect();
  await pipeline.stop();
});
afterEach(() => {
  nock.cleanAll();
});

async function asStaff(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  const response = await pipeline.app.inject({ method, url, headers: { authorization: `Bearer ${staffKey}` }, ...(payload && { payload }) });
  return { status: response.statusCode, body: response.json() };
}

/** A business with a Google Business Profile source, and a review on it as a poll stores it. */
async function googleBusinessWithReview(reviewId: string, rating: number, text: string): Promise<{ businessId: string; itemId: string }> {
  const business = await pipeline.api('POST', '/v1/businesses', { name: `Diner ${reviewId}`, alertEmails: ['owner@diner.test'] });
  const sourceId = await googleSource(pipeline.db, pipeline.credentialsKey, { accountId: pipeline.accountId, businessId: business.body.id });
  const [itemId] = await ingestAndQueue(pipeline, sourceId, [review(reviewId, rating, text)]);
  return { businessId: business.body.id, itemId: itemId! };
}

test('a staff member answers a flagged 1-star review through the API: one PUT after the undo window, and the reply is the response the figures count', async () => {
  const { businessId, itemId } = await googleBusinessWithReview('gbp-review-1', 1, 'Cold soup, rude waiter, never again.');
  await waitUntil('the review to be flagged', async () => (await pipeline.api('GET', `/v1/items/${itemId}`)).body.flagged === true);

  tokens();
  const read = reviewShows('gbp-review-1', null);
  const put = replyAccepted('gbp-review-1', 'We are so sorry, Pat. The soup is hot again; dinner is on us.');
  const created = await asStaff('POST', `/v1/items/${itemId}/replies`, { text: 'We are so sorry, Pat. The soup is hot again; dinner is on us.' });
  expect(created.status).toBe(202);
  expect(created.body.status).toBe('scheduled');
  // The undo window: nothing reaches the platform yet.
  await sleep(300);
  expect(read.isDone()).toBe(false);
  expect(put.puts()).toBe(0);

  const published = await waitUntil('the reply to be published', async () => {
    const { body } = await asStaff('GET', `/v1/items/${itemId}/replies`);
    return body.replies[0]?.status === 'published' ? body.replies[0] : undefined;
  });
  // Give a duplicate every chance to show up.
  await sleep(1500);
  expect(put.puts()).toBe(1);

  const item = (await pipeline.api('GET', `/v1/items/${itemId}`)).body;
  expect(item).toMatchObject({ status: 'responded', firstResponseSource: 'reply', firstResponseAt: published.publishedAt, respondedAt: published.publishedAt });
  expect(item.ownerReply.text).toBe('We are so sorry, Pat. The soup is hot again; dinner is on us.');
  expect(item.events.filter((e: { type: string }) => e.type === 'replied')).toEqual([
    expect.objectContaining({ type: 'replied', actor: 'Sam (staff)' }),
  ]);

  const figures = await pipeline.api('GET', `/v1/metrics/response-times?businessId=${businessId}&groupBy=responder`);
  expect(figures.status).toBe(200);
  expect(figures.body.groups).toEqual([expect.objectContaining({ key: 'Sam (staff)', items: 1, responded: 1 })]);
});

test('a reply cancelled inside its undo window never reaches the platform', async () => {
  const { itemId } = await googleBusinessWithReview('gbp-review-2', 2, 'Slow service.');
  tokens();
  const read = reviewShows('gbp-review-2', null);
  const put = replyAccepted('gbp-review-2');
  const created = await asStaff('POST', `/v1/items/${itemId}/replies`, { text: 'Wrong item, sorry.' });
  const cancelled = await asStaff('DELETE', `/v1/items/${itemId}/replies/${created.body.id}`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe('cancelled');

  await sleep(2500);
  expect(read.isDone()).toBe(false);
  expect(put.puts()).toBe(0);
  const item = (await pipeline.api('GET', `/v1/items/${itemId}`)).body;
  expect(item.firstResponseAt).toBeNull();
});
