import { sql } from 'kysely';
import { beforeAll, expect, test } from 'vitest';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { countNegativeItems } from '../../db/repositories/spikes.ts';
import { ingestPage, type IngestSource } from '../../services/ingest/ingest-page.ts';
import { spikeBlock, spikeWindow } from '../../services/alerts/spike-rule.ts';
import type { PeriodicTask } from '../../services/scheduler/scheduler.ts';
import { spikeAlerts } from '../../services/scheduler/spike-alerts.ts';
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
  task = spikeAlerts(pipeline);
});

let counter = 0;

async function shop(): Promise<{ businessId: string; name: string; email: string; source: IngestSource }> {
  counter++;
  const name = `Spike Diner ${counter}`;
  const email = `owner${counter}@spike.test`;
  const business = await createBusiness(pipeline.db, pipeline.accountId, { name, timezone: 'UTC', alertEmails: [email] });
  // Written directly, not through the API: a source made there would be polled on a real platform.
  const source = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: business.id, type: 'google_places', config: '{}', poll_every_minutes: 15 })
    .returning(['id', 'account_id', 'business_id'])
    .executeTakeFirstOrThrow();
  return { businessId: business.id, name, email, source };
}

/**
 * Negative reviews about `topics`, published at the given instants and judged as analysis would
 * judge them; first seen when published (`seen: 'when published'`, a source polled all along) or
 * now (a poll that reads a back catalogue).
 */
async function negative(source: IngestSource, publishedAt: Date[], topics: string[], seen: 'now' | 'when published' = 'now'): Promise<string[]> {
  const items = publishedAt.map((at) => {
    counter++;
    return { ...review(`neg-${counter}`, 1, `Bad visit number ${counter}.`), publishedAt: at };
  });
  const page = await ingestPage(pipeline.db, source, { items, cursor: null });
  await pipeline.db
    .updateTable('items')
    .set({ flagged: true, sentiment_label: 'negative', topics, analyzed_at: new Date(), ...(seen === 'when published' && { first_seen_at: sql<Date>`published_at` }) })
    .where('id', 'in', page.toAnalyze)
    .execute();
  return page.toAnalyze;
}

/** `count` instants spread evenly over the 28 days before the last six hours. */
function history(count: number, before: Date): Date[] {
  const span = 28 * 24 * HOUR;
  return Array.from({ length: count }, (_, n) => new Date(before.getTime() - 6 * HOUR - ((n + 0.5) * span) / count));
}

const spikeDeliveries = (businessId: string) =>
  pipeline.db.selectFrom('alert_deliveries').select(['recipient', 'channel_id', 'incident', 'status']).where('business_id', '=', businessId).where('kind', '=', 'spike').orderBy('recipient').execute();

test('six bad reviews about waiting in six hours against a quiet month: one spike alert naming waiting, by email and on Slack; running again sends nothing', async () => {
  const { businessId, name, email, source } = await shop();
  const { channelId, receiver } = await bed.slackRule(businessId, { delivery: 'instant' });
  const now = new Date();
  await negative(source, history(2, now), ['price'], 'when published');
  const recent = (hoursAgo: number[]) => hoursAgo.map((hours) => new Date(now.getTime() - hours * HOUR));
  const waiting = await negative(source, recent([5, 4, 3, 2]), ['wait']);
  const other = await negative(source, recent([1.5, 1]), ['price', 'quality']);

  // Run once they are in: the window ends when the task runs.
  const at = new Date();
  expect(await task.run(at)).toBe(2);
  const incident = spikeBlock(at);
  expect(await spikeDeliveries(businessId)).toEqual([
    { recipient: `channel:${channelId}`, channel_id: channelId, incident, status: expect.any(String) },
    { recipient: email, channel_id: null, incident, status: expect.any(String) },
  ]);
  await waitUntil('both sent', async () => (await spikeDeliveries(businessId)).every((delivery) => delivery.status === 'sent'));
  const mails = smtp.messages.filter((mail) => mail.headers.get('x-earshot-business') === businessId);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.subject).toBe(`6 bad reviews in the last 6 hours for ${name} — most about waiting`);
  expect(mails[0]!.text).toContain('Usually fewer than 0.1 in 6 hours');
  for (const itemId of [...waiting, ...other]) {
    expect(mails[0]!.text).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
    expect(mails[0]!.html).toContain(`${pipeline.config.publicUrl}/items/${itemId}`);
  }
  expect(receiver.accepted).toHaveLength(1);
  expect(JSON.parse(receiver.accepted[0]!.body).text).toContain('most about waiting');

  // Again in the same block, and in the next one while the spike goes on: nothing more.
  expect(await task.run(new Date())).toBe(0);
  const nextBlock = new Date(Date.parse(`${incident.slice('spike:'.length)}:00:00Z`) + 6 * HOUR);
  expect(await task.run(nextBlock)).toBe(0);
  await pipeline.idle();
  await sleep(300);
  expect(smtp.messages.filter((mail) => mail.headers.get('x-earshot-business') === businessId)).toHaveLength(1);
  expect(receiver.received).toHaveLength(1);
});

test('a business with a busy month (five a window on average) and six now: no spike', async () => {
  const { businessId, source } = await shop();
  const now = new Date();
  await negative(source, history(112 * 5, now), ['wait'], 'when published');
  await negative(source, [5, 4, 3, 2, 1, 0.5].map((hours) => new Date(now.getTime() - hours * HOUR)), ['wait']);

  const at = new Date();
  expect(await countNegativeItems(pipeline.db, spikeWindow(at), { businessId })).toEqual([expect.objectContaining({ current: 6, history: 560 })]);
  expect(await task.run(at)).toBe(0);
  expect(await spikeDeliveries(businessId)).toEqual([]);
});

test("a new source's back catalogue, first seen all at once, is no spike", async () => {
  const { businessId, source } = await shop();
  const now = new Date();
  // Forty bad reviews of the last weeks, all first seen by the first poll a moment ago.
  await negative(source, history(40, now), ['wait']);

  const at = new Date();
  expect(await countNegativeItems(pipeline.db, spikeWindow(at), { businessId })).toEqual([expect.objectContaining({ current: 0, history: 40 })]);
  expect(await task.run(at)).toBe(0);
  expect(await spikeDeliveries(businessId)).toEqual([]);
});

test('four bad reviews are never a spike, however quiet the month', async () => {
  const { businessId, source } = await shop();
  const now = new Date();
  await negative(source, [4, 3, 2, 1].map((hours) => new Date(now.getTime() - hours * HOUR)), ['wait']);

  const at = new Date();
  expect(await countNegativeItems(pipeline.db, spikeWindow(at), { businessId })).toEqual([expect.objectContaining({ current: 4, history: 0 })]);
  expect(await task.run(at)).toBe(0);
  expect(await spikeDeliveries(businessId)).toEqual([]);
});
