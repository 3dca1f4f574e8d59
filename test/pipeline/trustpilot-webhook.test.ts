import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { pollNowAndSettle } from '../support/poll-now.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep } from '../support/wait.ts';

const API = 'https://api.trustpilot.com';
const UNIT = '5a1b2c3d4e5f60718293a4b5';
const KEY = 'synthetic-trustpilot-key-9876543210';
const SECRET = 'tpwh_0123456789abcdef0123456789abcdef';
const REVIEW_ID = '6601f00dcafe000000000b01';
const CREATED_AT = new Date(Date.now() - 60_000).toISOString();
const ANGRY = { stars: 1, title: 'Parcel never arrived', text: 'Ordered two duvet covers three weeks ago and nobody answers the chat.' };
const CALMER = { stars: 3, title: 'Parcel arrived late', text: 'The duvet covers came after three weeks; support answered in the end.' };

let smtp: RecordingSmtp;
let pipeline: Pipeline;
let businessId: string;
let sourceId: string;

/** A review as Trustpilot's webhook carries it (support.trustpilot.com's example, with our values). */
function eventData(content: typeof ANGRY, id = REVIEW_ID) {
  return {
    id,
    language: 'en',
    ...content,
    referenceId: 'ORDER-1042',
    createdAt: CREATED_AT,
    isVerified: true,
    link: `https://api.trustpilot.com/v1/reviews/${id}`,
    consumer: { id: '5e90aaaa0000000000000101', name: 'Henrik Solberg', link: 'https://api.trustpilot.com/v1/consumers/5e90aaaa0000000000000101' },
    tags: [],
  };
}

/** The same review as the business-unit reviews listing shows it to the poll. */
function listed(content: typeof ANGRY, updatedAt: string | null) {
  return {
    id: REVIEW_ID,
    consumer: { id: '5e90aaaa0000000000000101', displayName: 'Henrik Solberg', displayLocation: 'Aarhus, DK', numberOfReviews: 4 },
    businessUnit: { id: UNIT, identifyingName: 'lanternlinens.example', displayName: 'Lantern Linens' },
    ...content,
    language: 'en',
    createdAt: CREATED_AT,
    updatedAt,
    companyReply: null,
    isVerified: true,
    status: 'active',
  };
}

const event = (eventName: string, data: unknown) => ({ events: [{ eventName, version: '1', eventData: data }] });

function deliver(body: unknown, options: { id?: string; secret?: string } = {}) {
  return pipeline.app.inject({
    method: 'POST',
    url: `/v1/webhooks/trustpilot/${options.id ?? sourceId}/${options.secret ?? SECRET}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

const itemRow = () => pipeline.db.selectFrom('items').selectAll().where('source_id', '=', sourceId).execute();
const revisions = async () => (await pipeline.db.selectFrom('item_revisions').select(['rating_before', 'rating_after', 'body_after']).execute());

async function pollWith(reviews: unknown[]): Promise<void> {
  const scope = nock(API).get(`/v1/business-units/${UNIT}/reviews`).query(true).matchHeader('apikey', KEY).reply(200, { reviews, links: [] });
  await pollNowAndSettle(pipeline, sourceId);
  expect(scope.isDone()).toBe(true);
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
  pipeline.startWorkers();
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Lantern Linens', alertEmails: ['owner@lantern.test'] });
  businessId = business.body.id;
  const source = await pipeline.api('POST', `/v1/businesses/${businessId}/sources`, {
    type: 'trustpilot',
    config: { businessUnitId: UNIT },
    credentials: { apiKey: KEY, webhookSecret: SECRET },
  });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});

afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

test('the source shows the URL to give Trustpilot, without its secret', async () => {
  const source = await pipeline.api('GET', `/v1/sources/${sourceId}`);
  expect(source.body.webhookUrl).toBe(`${pipeline.config.publicUrl}/v1/webhooks/trustpilot/${sourceId}/{webhookSecret}`);
  expect(JSON.stringify(source.body)).not.toContain(SECRET);
  expect(source.body.capabilities.push).toBe(false);
});

test('a wrong secret, an unknown source or a source without a webhook secret is refused, and nothing is stored', async () => {
  const body = event('service-review-created', eventData(ANGRY));
  const wrong = await deliver(body, { secret: `${SECRET.slice(0, -1)}x` });
  expect(wrong.statusCode).toBe(401);
  expect(wrong.json().error.code).toBe('unauthorized');
  expect((await deliver(body, { id: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(401);
  expect((await deliver(body, { id: 'not-a-uuid' })).statusCode).toBe(401);
  const bare = await pipeline.api('POST', `/v1/businesses/${businessId}/sources`, { type: 'trustpilot', config: { businessUnitId: '5a1b2c3d4e5f60718293a4b6' }, credentials: { apiKey: KEY } });
  expect(bare.status).toBe(201);
  expect((await deliver(body, { id: bare.body.id })).statusCode).toBe(401);
  expect(await pipeline.db.selectFrom('items').select('id').execute()).toEqual([]);
});

test('a review the webhook cannot read is refused naming the field, and nothing is stored', async () => {
  const response = await deliver({ events: [{ eventName: 'service-review-created', eventData: eventData(ANGRY) }, { eventName: 'service-review-created', eventData: { ...eventData(ANGRY, '6601f00dcafe000000000b02'), stars: 7 } }] });
  expect(response.statusCode).toBe(400);
  expect(response.json().error.field).toBe('body.events[1].eventData.stars');
  const noEvents = await deliver({ event: [] });
  expect(noEvents.statusCode).toBe(400);
  expect(noEvents.json().error.field).toBe('body.events');
  expect(await itemRow()).toEqual([]);
});

test('a created review is stored, flagged and alerted once, announced when the webhook arrived', async () => {
  const sent = new Date();
  const response = await deliver(event('service-review-created', eventData(ANGRY)));
  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({ received: 1, new: 1, updated: 0, removed: 0, ignored: 0 });
  const mails = await smtp.waitFor(1);
  await pipeline.idle();
  await sleep(300);
  expect(mails).toHaveLength(1);
  expect(mails[0]?.subject).toContain('1-star');
  expect(mails[0]?.text).toContain(ANGRY.text);
  expect(mails[0]?.text).toContain('Henrik Solberg');
  const [item] = await itemRow();
  expect(item).toMatchObject({
    external_id: REVIEW_ID,
    url: `https://www.trustpilot.com/reviews/${REVIEW_ID}`,
    author: 'Henrik Solberg',
    rating: 1,
    title: ANGRY.title,
    body: ANGRY.text,
    language: 'en',
    flagged: true,
    platform_updated_at: null,
  });
  expect(item?.published_at?.toISOString()).toBe(CREATED_AT);
  expect(item?.announced_at?.getTime()).toBeGreaterThanOrEqual(sent.getTime() - 5);
  expect(item?.announced_at?.getTime()).toBeLessThanOrEqual(item!.first_seen_at.getTime());
});

test('the same event delivered again changes nothing', async () => {
  const again = await deliver(event('service-review-created', eventData(ANGRY)));
  expect(again.statusCode).toBe(202);
  expect(again.json()).toEqual({ received: 1, new: 0, updated: 0, removed: 0, ignored: 0 });
  await pipeline.idle();
  await sleep(300);
  expect(smtp.messages).toHaveLength(1);
  expect(await itemRow()).toHaveLength(1);
  expect(await revisions()).toEqual([]);
});

test('a poll that then lists the same review adds nothing', async () => {
  const [before] = await itemRow();
  await pollWith([listed(ANGRY, null)]);
  await sleep(300);
  const after = await itemRow();
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ id: before?.id, rating: 1, body: ANGRY.text, author: 'Henrik Solberg', content_hash: before?.content_hash, updated_at: before?.updated_at });
  expect(await revisions()).toEqual([]);
  expect(smtp.messages).toHaveLength(1);
});

test('an updated review is a revision, which a later poll of the edited review does not repeat', async () => {
  const editedAt = new Date(Date.now() - 5_000).toISOString();
  const response = await deliver(event('service-review-updated', { ...eventData(CALMER), updatedAt: editedAt }));
  expect(response.statusCode).toBe(202);
  expect(response.json()).toMatchObject({ new: 0, updated: 1 });
  await pipeline.idle();
  expect(await revisions()).toEqual([{ rating_before: 1, rating_after: 3, body_after: CALMER.text }]);
  const [item] = await itemRow();
  expect(item).toMatchObject({ rating: 3, title: CALMER.title, body: CALMER.text });
  expect(item?.platform_updated_at?.toISOString()).toBe(editedAt);

  await pollWith([listed(CALMER, editedAt)]);
  expect(await revisions()).toHaveLength(1);
});

test('the creation delivered again after the edit (a late retry) does not turn the review back', async () => {
  const late = await deliver(event('service-review-created', eventData(ANGRY)));
  expect(late.statusCode).toBe(202);
  expect(late.json()).toEqual({ received: 1, new: 0, updated: 0, removed: 0, ignored: 0 });
  expect(await revisions()).toHaveLength(1);
  expect((await itemRow())[0]).toMatchObject({ rating: 3, body: CALMER.text });
});

test('a deleted review is a removal; events of other kinds are passed over', async () => {
  const response = await deliver({
    events: [
      { eventName: 'service-review-deleted', version: '1', eventData: { id: REVIEW_ID } },
      { eventName: 'product-review-created', version: '1', eventData: { id: 'p1' } },
    ],
  });
  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({ received: 2, new: 0, updated: 0, removed: 1, ignored: 1 });
  const [item] = await itemRow();
  expect(item?.removed_at).not.toBeNull();
  const events = await pipeline.db.selectFrom('item_events').select('type').where('item_id', '=', item!.id).execute();
  expect(events.map((e) => e.type)).toContain('removed');
  const again = await deliver(event('service-review-deleted', { id: REVIEW_ID }));
  expect(again.json()).toMatchObject({ removed: 0 });
});

test('a paused source refuses its webhooks', async () => {
  expect((await pipeline.api('PATCH', `/v1/sources/${sourceId}`, { paused: true })).status).toBe(200);
  const response = await deliver(event('service-review-created', eventData(ANGRY, '6601f00dcafe000000000b03')));
  expect(response.statusCode).toBe(409);
  expect(await itemRow()).toHaveLength(1);
});
