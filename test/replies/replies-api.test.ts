import nock from 'nock';
import { afterAll, describe, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { replySupport } from '../../services/replies/reply-support.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { addKey, createApiHarness, insertItem } from '../support/api.ts';
import { googleSource } from './google-reviews.ts';

// A long undo window: nothing here is sent; the sending is test/replies/send-reply.test.ts.
const h = await createApiHarness({ config: { replyUndoSeconds: 600 } });
afterAll(() => h.close());

const business = await createBusiness(h.db, h.tenant.accountId, { name: 'Google Diner', timezone: 'UTC', alertEmails: ['o@example.com'] });
const owner = { accountId: h.tenant.accountId, businessId: business.id };
const sourceId = await googleSource(h.db, h.credentialsKey, owner);
const staff = await addKey(h.db, h.tenant.accountId, 'staff');

const googleItem = (overrides: Parameters<typeof insertItem>[2] = {}) => insertItem(h.db, { ...owner, sourceId }, { rating: 1, body: 'Cold soup.', ...overrides });
const post = (itemId: string, payload: object, key = staff.key) => h.call({ method: 'POST', url: `/v1/items/${itemId}/replies`, payload, key });

describe('POST /v1/items/:id/replies', () => {
  test('schedules the reply for the end of the undo window, under the key’s name, and queues its send', async () => {
    const itemId = await googleItem();
    const before = Date.now();
    const response = await post(itemId, { text: 'So sorry, Pat.' });
    expect(response.statusCode, response.body).toBe(202);
    const reply = response.json();
    expect(reply).toMatchObject({ itemId, status: 'scheduled', text: 'So sorry, Pat.', replaces: null, reason: null, publishedAt: null, author: 'staff key' });
    const sendAt = Date.parse(reply.sendAt);
    expect(sendAt).toBeGreaterThanOrEqual(before + 599_000);
    expect(sendAt).toBeLessThanOrEqual(Date.now() + 601_000);
    const job = await h.queues.replies.getJob(`reply-${reply.id}`);
    expect(job?.data).toEqual({ replyId: reply.id });
    expect(await job?.isDelayed()).toBe(true);

    const listed = await h.call({ method: 'GET', url: `/v1/items/${itemId}/replies` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ replies: [reply] });
  });

  test('empty or too long for Google (bytes, as Google counts) is 400 naming body.text; nothing is scheduled', async () => {
    const itemId = await googleItem();
    const empty = await post(itemId, { text: '  \n ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'validation_failed', field: 'body.text' });

    // 2,049 characters, 4,098 bytes: within a character limit, over Google's 4,096 bytes.
    const long = await post(itemId, { text: 'é'.repeat(2049) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'validation_failed', field: 'body.text' });
    expect(long.json().error.message).toMatch(/4098 bytes.*at most 4096/);
    expect((await h.call({ method: 'GET', url: `/v1/items/${itemId}/replies` })).json()).toEqual({ replies: [] });
  });

  test('a platform without a reply API is 409 reply_not_supported', async () => {
    const itemId = await insertItem(h.db, h.tenant);
    const response = await post(itemId, { text: 'Thanks!' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('reply_not_supported');
    expect(response.json().error.message).toMatch(/reply on .* itself/);
  });

  test('a source without the credentials replies need is 409 replies_not_set_up, saying what to add', async () => {
    const trustpilot = await createSource(h.db, h.credentialsKey, {
      ...owner,
      type: 'trustpilot',
      config: { businessUnitId: '507f191e810c19729de860ea' },
      credentials: { apiKey: 'read-only-key' },
      pollEveryMinutes: 60,
      scheduled: false,
    });
    const itemId = await insertItem(h.db, { ...owner, sourceId: trustpilot.id }, { rating: 1 });
    const response = await post(itemId, { text: 'Sorry.' });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.code).toBe('replies_not_set_up');
    expect(response.json().error.message).toMatch(/Add the API secret/);
  });

  test('a platform whose limit cannot be read just now is 503 unavailable; nothing is scheduled', async () => {
    const mastodon = await createSource(h.db, h.credentialsKey, {
      ...owner,
      type: 'mastodon',
      config: { instanceUrl: 'https://mastodon.example', hashtags: ['diner'] },
      credentials: { accessToken: 'write-token' },
      pollEveryMinutes: 60,
      scheduled: false,
    });
    const itemId = await insertItem(h.db, { ...owner, sourceId: mastodon.id });
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    try {
      const instance = nock('https://mastodon.example').get('/api/v2/instance').reply(503, 'down for maintenance');
      const response = await post(itemId, { text: 'Thanks for the mention!' });
      expect(instance.isDone()).toBe(true);
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().error.code).toBe('unavailable');
      expect(response.json().error.message).toMatch(/Mastodon could not be reached/);
      expect(response.headers['retry-after']).toBe('30');
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    expect((await h.call({ method: 'GET', url: `/v1/items/${itemId}/replies` })).json()).toEqual({ replies: [] });
  });

  test('never a second reply over one on its way, nor over a reply the caller has not seen', async () => {
    const itemId = await googleItem();
    const first = (await post(itemId, { text: 'First.' })).json();
    const crossing = await post(itemId, { text: 'Second.' });
    expect(crossing.statusCode).toBe(409);
    expect(crossing.json().error).toMatchObject({ code: 'conflict', field: 'body.replaces' });

    const stale = await post(itemId, { text: 'Change.', replaces: '00000000-0000-4000-8000-000000000000' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.field).toBe('body.replaces');

    // Once the first is published, a reply without `replaces` would overwrite it; one naming it is taken.
    await h.db.updateTable('item_replies').set({ status: 'published', published_at: new Date() }).where('id', '=', first.id).execute();
    expect((await post(itemId, { text: 'Blind.' })).statusCode).toBe(409);
    const change = await post(itemId, { text: 'Changed.', replaces: first.id });
    expect(change.statusCode, change.body).toBe(202);
    expect(change.json().replaces).toBe(first.id);
  });

  test('an owner reply already on the platform, sent outside Earshot, is not overwritten', async () => {
    const itemId = await googleItem({ owner_reply_text: 'The manager answered in Google.', owner_reply_at: new Date() });
    const response = await post(itemId, { text: 'Hello.' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toMatch(/already shows a reply/);
  });

  test('consultants may not reply; another account’s item is 404', async () => {
    const itemId = await googleItem();
    const consultant = await addKey(h.db, h.tenant.accountId, 'consultant');
    expect((await post(itemId, { text: 'Hi.' }, consultant.key)).statusCode).toBe(403);
    const theirs = await insertItem(h.db, h.stranger);
    const response = await post(theirs, { text: 'Hi.' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

describe('DELETE /v1/items/:id/replies/:replyId', () => {
  test('cancels while scheduled; 409 once it is sending', async () => {
    const itemId = await googleItem();
    const reply = (await post(itemId, { text: 'Oops.' })).json();
    const cancelled = await h.call({ method: 'DELETE', url: `/v1/items/${itemId}/replies/${reply.id}`, key: staff.key });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: reply.id, status: 'cancelled' });
    expect((await h.call({ method: 'DELETE', url: `/v1/items/${itemId}/replies/${reply.id}` })).statusCode).toBe(409);

    // A cancelled reply no longer stands in the way of a new one.
    const next = (await post(itemId, { text: 'Better.' })).json();
    await h.db.updateTable('item_replies').set({ status: 'sending' }).where('id', '=', next.id).execute();
    const late = await h.call({ method: 'DELETE', url: `/v1/items/${itemId}/replies/${next.id}` });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/no longer be cancelled: it is sending/);
  });

  test('a reply of another item, or an unknown one, is 404', async () => {
    const itemId = await googleItem();
    const other = await googleItem();
    const reply = (await post(itemId, { text: 'Mine.' })).json();
    expect((await h.call({ method: 'DELETE', url: `/v1/items/${other}/replies/${reply.id}` })).statusCode).toBe(404);
    expect((await h.call({ method: 'DELETE', url: `/v1/items/${itemId}/replies/not-a-uuid` })).statusCode).toBe(404);
    expect((await h.db.selectFrom('item_replies').select('status').where('id', '=', reply.id).executeTakeFirstOrThrow()).status).toBe('scheduled');
  });
});

describe('reply support', () => {
  test('read off the connector: Google replies through its API, RSS has no reply API', () => {
    expect(replySupport('google_business', {})).toEqual({ kind: 'api' });
    expect(replySupport('rss', {})).toEqual({ kind: 'manual' });
    expect(replySupport('no_such_platform', {})).toEqual({ kind: 'manual' });
  });
});
