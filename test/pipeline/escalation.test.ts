import { beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import type { OpeningHours } from '../../db/opening-hours-shape.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { escalateOverdue } from '../../services/scheduler/escalate-overdue.ts';
import type { PeriodicTask } from '../../services/scheduler/scheduler.ts';
import { review } from '../support/items.ts';
import { useNoticePipeline } from '../support/notice-pipeline.ts';
import type { Pipeline } from '../support/pipeline.ts';
import type { RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

const HOUR = 3_600_000;

const bed = useNoticePipeline();
let pipeline: Pipeline;
let smtp: RecordingSmtp;
let task: PeriodicTask;
beforeAll(() => {
  ({ pipeline, smtp } = bed);
  task = escalateOverdue(pipeline);
});

let counter = 0;

/** A business with an SLA (and opening hours when given) and a Google source, written directly: no platform is polled. */
async function shop(options: { slaHours: number; openingHours?: OpeningHours }): Promise<{ businessId: string; email: string; source: IngestSource }> {
  counter++;
  const email = `owner${counter}@diner.test`;
  const business = await createBusiness(pipeline.db, pipeline.accountId, { name: `Diner ${counter}`, timezone: 'UTC', alertEmails: [email] });
  await pipeline.db
    .updateTable('businesses')
    .set({ sla_hours: options.slaHours, opening_hours: options.openingHours === undefined ? null : JSON.stringify(options.openingHours) })
    .where('id', '=', business.id)
    .execute();
  const source = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  return { businessId: business.id, email, source };
}

/** A 1★ review published at `publishedAt`, flagged as analysis would flag it. */
async function flaggedReview(source: IngestSource, publishedAt: Date): Promise<string> {
  counter++;
  const item = { ...review(`late-${counter}`, 1, 'We waited an hour and nobody came to take our order.'), publishedAt };
  const page = await ingestPage(pipeline.db, source, { items: [item], cursor: null });
  const itemId = page.toAnalyze[0]!;
  await pipeline.db.updateTable('items').set({ flagged: true, sentiment_label: 'negative', analyzed_at: new Date() }).where('id', '=', itemId).execute();
  return itemId;
}

const escalations = (itemId: string) => pipeline.db.selectFrom('sla_escalations').selectAll().where('item_id', '=', itemId).execute();
const deliveries = (itemId: string) =>
  pipeline.db.selectFrom('alert_deliveries').select(['kind', 'recipient', 'channel_id', 'status']).where('item_id', '=', itemId).orderBy('recipient').execute();
const emailsAbout = (itemId: string) => smtp.messages.filter((mail) => mail.headers.get('x-earshot-item') === itemId);

test('an escalation fires once when the SLA passes, by email and on the Slack channel, not again after the item is answered', async () => {
  const { businessId, email, source } = await shop({ slaHours: 24 });
  // The rule's conditions do not matter: any instant rule naming the channel makes it a notice recipient.
  const { channelId, receiver } = await bed.slackRule(businessId, { when: { ratingMax: 2 }, delivery: 'instant' });
  const publishedAt = new Date(Date.now() - 25 * HOUR - 5 * 60_000);
  const itemId = await flaggedReview(source, publishedAt);

  // At +23 h the SLA has not passed.
  expect(await task.run(new Date(publishedAt.getTime() + 23 * HOUR))).toBe(0);
  expect(await escalations(itemId)).toEqual([]);

  // At +25 h: one escalation, one email to the alert address and one Slack message.
  expect(await task.run(new Date())).toBe(1);
  expect(await deliveries(itemId)).toEqual([
    { kind: 'sla_overdue', recipient: `channel:${channelId}`, channel_id: channelId, status: expect.any(String) },
    { kind: 'sla_overdue', recipient: email, channel_id: null, status: expect.any(String) },
  ]);
  await waitUntil('both sent', async () => (await deliveries(itemId)).every((delivery) => delivery.status === 'sent'));
  expect(emailsAbout(itemId)).toHaveLength(1);
  expect(receiver.accepted).toHaveLength(1);
  const [mail] = emailsAbout(itemId);
  expect(mail!.subject).toMatch(/^Reply overdue by 1 h( \d+ min)?: 1-star Google review for Diner \d+$/);
  expect(mail!.text).toContain('Reply due within: 24 h');
  expect(mail!.text).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
  expect(mail!.html).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
  const slack = JSON.parse(receiver.accepted[0]!.body) as { text: string; blocks: unknown[] };
  expect(JSON.stringify(slack.blocks)).toContain('Reply overdue by 1 h');
  expect(JSON.stringify(slack.blocks)).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
  // The timeline says it was escalated.
  const alerted = await pipeline.db.selectFrom('item_events').select('data').where('item_id', '=', itemId).where('type', '=', 'alerted').execute();
  expect(alerted.map((event) => (event.data as { kind: string }).kind)).toEqual(['sla_overdue', 'sla_overdue']);

  // Running again, and answering it now, change nothing: no second escalation, ever.
  expect(await task.run(new Date())).toBe(0);
  const answered = await pipeline.api('POST', `/v1/items/${itemId}/respond`, { note: 'Called the customer.' });
  expect(answered.status).toBe(200);
  expect(await task.run(new Date(Date.now() + 48 * HOUR))).toBe(0);
  await pipeline.idle();
  await sleep(300);
  expect(emailsAbout(itemId)).toHaveLength(1);
  expect(receiver.received).toHaveLength(1);
  expect(await escalations(itemId)).toHaveLength(1);
});

test('an item answered before its deadline is never escalated', async () => {
  const { source } = await shop({ slaHours: 24 });
  const publishedAt = new Date(Date.now() - 30 * HOUR);
  const itemId = await flaggedReview(source, publishedAt);
  const answered = await pipeline.api('POST', `/v1/items/${itemId}/respond`, { at: new Date(publishedAt.getTime() + 10 * HOUR).toISOString() });
  expect(answered.status).toBe(200);

  expect(await task.run(new Date())).toBe(0);
  expect(await task.run(new Date(Date.now() + 72 * HOUR))).toBe(0);
  expect(await escalations(itemId)).toEqual([]);
  expect(await deliveries(itemId)).toEqual([]);
});

test('an item resolved without an answer (handled off the platform) is not escalated', async () => {
  const { source } = await shop({ slaHours: 24 });
  const itemId = await flaggedReview(source, new Date(Date.now() - 30 * HOUR));
  const resolved = await pipeline.api('POST', `/v1/items/${itemId}/resolve`, { note: 'Refunded in person.' });
  expect(resolved.status).toBe(200);

  expect(await task.run(new Date())).toBe(0);
  expect(await escalations(itemId)).toEqual([]);
  expect(await deliveries(itemId)).toEqual([]);
});

test('with opening hours only open hours count: an item on Friday evening is not overdue on Saturday when closed', async () => {
  const weekday = [{ open: '09:00', close: '17:00' }];
  const { email, source } = await shop({ slaHours: 4, openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } });
  // The latest Friday 18:00 UTC from which Monday 14:00 has already come.
  const friday = new Date(Date.now() - 3 * 24 * HOUR);
  friday.setUTCHours(18, 0, 0, 0);
  while (friday.getUTCDay() !== 5 || friday.getTime() + (2 * 24 + 20) * HOUR > Date.now()) friday.setTime(friday.getTime() - 24 * HOUR);
  const itemId = await flaggedReview(source, friday);

  // Saturday noon: 18 hours later, none of them open.
  expect(await task.run(new Date(friday.getTime() + 18 * HOUR))).toBe(0);
  // Monday 12:00: three opening hours, within the SLA of four.
  expect(await task.run(new Date(friday.getTime() + (2 * 24 + 18) * HOUR))).toBe(0);
  expect(await escalations(itemId)).toEqual([]);
  // Monday 14:00: five opening hours.
  expect(await task.run(new Date(friday.getTime() + (2 * 24 + 20) * HOUR))).toBe(1);
  expect(await deliveries(itemId)).toEqual([{ kind: 'sla_overdue', recipient: email, channel_id: null, status: expect.any(String) }]);
  await waitUntil('the escalation email', async () => emailsAbout(itemId).length === 1);
  expect(emailsAbout(itemId)[0]!.text).toContain('Reply due within: 4 opening hours');
});

test("items of a platform that takes no reply, and a new source's back catalogue, are never escalated", async () => {
  const { businessId, source } = await shop({ slaHours: 24 });
  const feed = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: businessId, type: 'rss', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  const article = await flaggedReview(feed, new Date(Date.now() - 48 * HOUR));
  const old = await flaggedReview(source, new Date(Date.now() - (pipeline.config.alertMaxAgeDays + 1) * 24 * HOUR));

  expect(await task.run(new Date())).toBe(0);
  expect(await escalations(article)).toEqual([]);
  expect(await escalations(old)).toEqual([]);
});
