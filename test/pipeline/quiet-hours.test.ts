/**
 * Quiet hours end to end, on real PostgreSQL, Redis, SMTP and a worker: a night-time alert
 * to someone in their quiet hours waits for their morning, urgent ones do not, and the
 * held one is sent exactly once when the morning comes — by the alert job that waited for
 * it and the reconciler both trying. The routing clock is injected (analysis at 23:00 in
 * London); the morning is brought forward by moving the held deliveries' times into the
 * past, as if the night had passed, never by sleeping.
 */
import { sql } from 'kysely';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { updateUserQuietHours } from '../../db/repositories/users.ts';
import { enqueueAlerts } from '../../services/alerts/enqueue-alerts.ts';
import { addRule } from '../../services/alerts/rules/rule-changes.ts';
import { analyzeItems } from '../../services/analysis/analyze-items.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { reconcile } from '../../services/scheduler/reconciler.ts';
import type { FakeReceiver } from '../alerts/channels/adapter.ts';
import { nockReceiver } from '../alerts/channels/nock-receiver.ts';
import { review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { addPerson } from '../support/web.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;
const receivers: FakeReceiver[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
  pipeline.startWorkers();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  nock.cleanAll();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  nock.enableNetConnect();
});

const HOUR_MS = 3_600_000;

function londonHour(instant: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(instant));
}

/** The first full hour after `after` that reads `hour`:00 in London (its offsets are whole hours). */
function nextLondonHour(hour: number, after = new Date()): Date {
  let instant = new Date(Math.floor(after.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  while (londonHour(instant) !== hour) instant = new Date(instant.getTime() + HOUR_MS);
  return instant;
}

/** A London business (written directly: a source made through the API would be polled) with its alert address. */
async function londonBusiness(alertEmails: string[]): Promise<{ businessId: string; source: IngestSource }> {
  const business = await createBusiness(pipeline.db, pipeline.accountId, { name: `Diner ${crypto.randomUUID()}`, timezone: 'Europe/London', alertEmails });
  const source = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  return { businessId: business.id, source };
}

let counter = 0;

/** Reviews arriving at `night`: analysed with that clock, their alerts queued for the worker as the analyze job does. */
async function arriveAt(night: Date, source: IngestSource, reviews: Array<[stars: number, text: string]>): Promise<Map<string, string>> {
  const page = await ingestPage(pipeline.db, source, { items: reviews.map(([stars, text]) => review(`quiet-${++counter}`, stars, text)), cursor: null });
  const outcome = await analyzeItems(pipeline.db, page.toAnalyze, { alertMaxAgeDays: 14, now: night });
  expect(outcome.flagged).toBe(reviews.length);
  await enqueueAlerts(pipeline.queues, `quiet-${counter}`, outcome.deliveryIds);
  const items = await pipeline.db.selectFrom('items').select(['id', 'body']).where('id', 'in', page.toAnalyze).execute();
  return new Map(items.map((item) => [item.body, item.id]));
}

const deliveriesOf = (itemId: string) =>
  pipeline.db.selectFrom('alert_deliveries').select(['id', 'recipient', 'status', 'send_after', 'attempts']).where('item_id', '=', itemId).orderBy('recipient').execute();

/** The alert job waits, delayed in Redis, for the end of the quiet hours. */
async function delayedAlertJobs(count: number): Promise<void> {
  await waitUntil(`${count} alert job(s) waiting for the morning`, async () => (await pipeline.queues.alert.getDelayed()).length === count);
}

/**
 * The night passes for the held deliveries (they were written hours ago and their hold
 * ended minutes ago); then the delayed job comes due and the reconciler runs, at once.
 */
async function morningComes(heldIds: string[]): Promise<void> {
  await sql`UPDATE alert_deliveries
    SET created_at = now() - interval '9 hours', updated_at = now() - interval '9 hours', send_after = now() - interval '2 minutes'
    WHERE id = ANY(${heldIds}::uuid[])`.execute(pipeline.db);
  const delayed = await pipeline.queues.alert.getDelayed();
  const [reconciled] = await Promise.all([reconcile(pipeline), ...delayed.map((job) => job.promote())]);
  expect(reconciled.alerts).toBe(heldIds.length);
  await pipeline.idle();
}

test('at 23:00 in London a 2★ alert to a person in quiet hours waits until 07:00; a 1★ one and one an urgent rule matched go at once; the held one goes once in the morning', async () => {
  const night = nextLondonHour(23);
  const morning = nextLondonHour(7, night);
  const person = await addPerson(pipeline.db, pipeline.accountId, { email: 'Owner@Night.test', role: 'owner' });
  await updateUserQuietHours(pipeline.db, pipeline.accountId, person.id, { from: '22:00', to: '07:00' });
  const { businessId, source } = await londonBusiness(['owner@night.test']);
  // The person is also told, urgently, whatever mentions the manager: one delivery, and it passes quiet hours.
  await addRule(pipeline.db, { accountId: pipeline.accountId, businessIds: null }, businessId, { to: { userId: person.id }, delivery: 'instant', urgent: true, when: { keywords: ['manager'] } });

  const items = await arriveAt(night, source, [
    [2, 'Cold soup and a forty minute wait.'],
    [1, 'Food poisoning after the fish, never again.'],
    [2, 'Rude staff, and the manager never called back.'],
  ]);
  const mails = await smtp.waitFor(2);
  expect(mails.map((mail) => mail.text).join('\n')).toContain('Food poisoning');
  expect(mails.map((mail) => mail.text).join('\n')).toContain('the manager never called back');
  await delayedAlertJobs(1);
  const [held] = await deliveriesOf(items.get('Cold soup and a forty minute wait.')!);
  expect(held).toMatchObject({ recipient: 'owner@night.test', status: 'pending', attempts: 0, send_after: morning });
  for (const body of ['Food poisoning after the fish, never again.', 'Rude staff, and the manager never called back.']) {
    expect(await deliveriesOf(items.get(body)!)).toEqual([expect.objectContaining({ recipient: 'owner@night.test', status: 'sent', send_after: null })]);
  }
  await sleep(500);
  expect(smtp.messages).toHaveLength(2);

  await morningComes([held!.id]);
  const [, , cold] = await smtp.waitFor(3);
  expect(cold?.text).toContain('Cold soup and a forty minute wait.');
  expect(cold?.to).toMatchObject({ text: 'owner@night.test' });
  // Every chance for a second copy: the reconciler's job and the delayed one both ran.
  await sleep(1500);
  expect(smtp.messages).toHaveLength(3);
  expect(await deliveriesOf(items.get('Cold soup and a forty minute wait.')!)).toEqual([expect.objectContaining({ status: 'sent' })]);
  const alerted = await pipeline.db.selectFrom('item_events').select('type').where('item_id', '=', items.get('Cold soup and a forty minute wait.')!).where('type', '=', 'alerted').execute();
  expect(alerted).toHaveLength(1);
});

test("a channel's own quiet hours hold its 2★ alert (and not its 1★ one) until they end; then it is posted once", async () => {
  const night = nextLondonHour(23);
  const webhookUrl = 'https://hooks.slack.test/services/T0000/B0001/quietHoursSecretXXXXXXXX';
  const receiver = nockReceiver(webhookUrl, { status: 200, body: 'ok' });
  receivers.push(receiver);
  const created = await pipeline.api('POST', '/v1/channels', { type: 'slack', name: 'Night shift', config: { webhookUrl }, quietHours: { from: '22:30', to: '06:00' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.quietHours).toEqual({ from: '22:30', to: '06:00' });
  // No alert addresses: the channel is the only recipient.
  const { businessId, source } = await londonBusiness([]);
  await addRule(pipeline.db, { accountId: pipeline.accountId, businessIds: null }, businessId, { to: { channelId: created.body.id }, delivery: 'instant' });
  const before = smtp.messages.length;

  const items = await arriveAt(night, source, [
    [2, 'The booking was lost and nobody apologised.'],
    [1, 'Found glass in the salad.'],
  ]);
  await waitUntil('the 1★ alert is posted', async () => receiver.accepted.length === 1);
  expect(receiver.accepted[0]?.body).toContain('Found glass in the salad.');
  await delayedAlertJobs(1);
  const [held] = await deliveriesOf(items.get('The booking was lost and nobody apologised.')!);
  expect(held).toMatchObject({ recipient: `channel:${created.body.id}`, status: 'pending', attempts: 0, send_after: nextLondonHour(6, night) });
  await sleep(500);
  expect(receiver.received).toHaveLength(1);

  await morningComes([held!.id]);
  await waitUntil('the held alert is posted', async () => receiver.accepted.length === 2);
  expect(receiver.accepted[1]?.body).toContain('The booking was lost');
  await sleep(1500);
  expect(receiver.received).toHaveLength(2);
  expect(smtp.messages).toHaveLength(before);
  expect(await deliveriesOf(items.get('The booking was lost and nobody apologised.')!)).toEqual([expect.objectContaining({ status: 'sent' })]);
});
