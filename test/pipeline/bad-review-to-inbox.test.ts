import nock from 'nock';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { placeDetails, type SyntheticReview } from '../support/google-places-payload.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

const PLACE = 'ChIJtestPlace001';
const ANGRY: SyntheticReview = { id: 'r-angry', rating: 1, text: 'Forty minutes for a lukewarm burger and the cashier shrugged at us.', author: 'Pat Doe', hoursAgo: 5 };
const HAPPY: SyntheticReview = { id: 'r-happy', rating: 5, text: 'Lovely terrace, friendly staff, we will come back.', author: 'Sam Roe', hoursAgo: 30 };
const MEH: SyntheticReview = { id: 'r-meh', rating: 2, text: 'Nice place, shame about the sticky tables.', author: 'Alex Poe', hoursAgo: 1 };

let smtp: RecordingSmtp;
let pipeline: Pipeline;
let businessId: string;
let sourceId: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
  pipeline.startWorkers();
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Chez Test', alertEmails: ['owner@chez.test', 'manager@chez.test'] });
  businessId = business.body.id;
  const source = await pipeline.api('POST', `/v1/businesses/${businessId}/sources`, { type: 'google_places', config: { placeId: PLACE }, credentials: { apiKey: 'places-key-123' } });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});

afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function pollWith(reviews: SyntheticReview[]): Promise<void> {
  const before = await pipeline.db.selectFrom('sources').select('last_success_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
  const scope = nock('https://places.googleapis.com')
    .get(`/v1/places/${PLACE}`)
    .matchHeader('x-goog-api-key', 'places-key-123')
    .matchHeader('x-goog-fieldmask', /reviews/)
    .reply(200, placeDetails(PLACE, reviews));
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to succeed', async () => {
    const row = await pipeline.db.selectFrom('sources').select('last_success_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    return row.last_success_at !== null && row.last_success_at.getTime() !== before.last_success_at?.getTime();
  });
  expect(scope.isDone()).toBe(true);
  await pipeline.idle();
}

test('a 1-star review among good ones sends one email per alert address, about that review', async () => {
  await pollWith([ANGRY, HAPPY]);
  const mails = await smtp.waitFor(2);
  await sleep(500);
  expect(mails).toHaveLength(2);
  expect(mails.map((m) => m.to && !Array.isArray(m.to) ? m.to.text : '').sort()).toEqual(['manager@chez.test', 'owner@chez.test']);
  for (const mail of mails) {
    expect(mail.subject).toContain('1-star');
    expect(mail.subject).toContain('Chez Test');
    expect(mail.text).toContain(ANGRY.text);
    expect(mail.text).toContain('Pat Doe');
    expect(mail.text).toContain('https://www.google.com/maps/reviews/data=r-angry');
    expect(mail.html).toContain('lukewarm burger');
    expect(mail.text).not.toContain(HAPPY.text);
  }
  const items = await pipeline.api('GET', `/v1/items?businessId=${businessId}&flagged=true`);
  expect(items.body.items).toHaveLength(1);
  expect(items.body.items[0]).toMatchObject({ rating: 1, flagged: true, status: 'new' });
  expect(mails[0]?.text).toContain(items.body.items[0].id);
});

test('polling the same reviews again sends nothing new', async () => {
  await pollWith([ANGRY, HAPPY]);
  await sleep(500);
  expect(smtp.messages).toHaveLength(2);
  const count = await pipeline.db.selectFrom('items').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  expect(Number(count.n)).toBe(2);
});

test('a new 2-star review on the next poll sends one more email per address', async () => {
  await pollWith([MEH, ANGRY, HAPPY]);
  const mails = await smtp.waitFor(4);
  await sleep(500);
  expect(mails).toHaveLength(4);
  for (const mail of mails.slice(2)) {
    expect(mail.subject).toContain('2-star');
    expect(mail.text).toContain(MEH.text);
  }
});

test('marking the item responded through the API sets respondedAt and adds an event', async () => {
  const items = await pipeline.api('GET', `/v1/items?businessId=${businessId}&flagged=true`);
  const angry = items.body.items.find((i: { rating: number }) => i.rating === 1);
  const responded = await pipeline.api('POST', `/v1/items/${angry.id}/respond`, { note: 'Called Pat, refunded the meal.' });
  expect(responded.status).toBe(200);
  expect(responded.body.status).toBe('responded');
  expect(Date.parse(responded.body.respondedAt)).toBeGreaterThan(Date.now() - 60_000);
  const item = await pipeline.api('GET', `/v1/items/${angry.id}`);
  const types = item.body.events.map((e: { type: string }) => e.type);
  expect(types).toEqual(expect.arrayContaining(['detected', 'flagged', 'alerted', 'responded']));
  expect(item.body.events.filter((e: { type: string }) => e.type === 'alerted')).toHaveLength(2);
  const respondedEvent = item.body.events.find((e: { type: string }) => e.type === 'responded');
  expect(respondedEvent.data.note).toBe('Called Pat, refunded the meal.');
});
