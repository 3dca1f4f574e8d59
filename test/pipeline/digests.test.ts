import path from 'node:path';
import type { AddressObject, ParsedMail } from 'mailparser';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { createDb } from '../../db/database.ts';
import { nextDigestDue, type DigestSchedule } from '../../services/alerts/digests/digest-schedule.ts';
import { createMailTransport, type MailTransport } from '../../services/alerts/mail-transport.ts';
import { startWorkers, type RunningWorkers } from '../../services/runtime/workers.ts';
import { sendDigests } from '../../services/scheduler/send-digests.ts';
import type { PeriodicTask } from '../../services/scheduler/scheduler.ts';
import type { FakeReceiver } from '../alerts/channels/adapter.ts';
import { nockReceiver } from '../alerts/channels/nock-receiver.ts';
import { spawnEarshot } from '../support/child-process.ts';
import { createBusinessAndSource, ingestAndQueue, review } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, startTarpit, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { workerProcessEnv } from '../support/worker-process.ts';

/**
 * Daily digests end to end, on real PostgreSQL, Redis and SMTP: rules put items aside when
 * they are judged, the scheduler task (driven with an injected clock) gathers them when the
 * business's period ends, and the workers send each digest once — whatever runs twice.
 */

let pipeline: Pipeline;
let smtp: RecordingSmtp;
/** In process, started here rather than by the pipeline: the last test stops them for worker processes of its own. */
let workers: RunningWorkers | undefined;
let mail: MailTransport;
let task: PeriodicTask;
let businessId: string;
let placesSourceId: string;
let redditSourceId: string;
let slack: { channelId: string; receiver: FakeReceiver };
/** Each period's send time, in order: the clock is moved from one to the next. */
let due: Date;

const OWNER = 'owner@diner.test';
const MANAGER = 'manager@diner.test';
const SCHEDULE: DigestSchedule = { cadence: 'daily', at: '07:15', timeZone: 'Europe/London' };
const NEUTRAL = 'It was fine. The pasta was okay and the room was busy.';
const MINUTE = 60_000;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url });
  mail = createMailTransport({ smtpUrl: smtp.url, outboxDir: path.join(pipeline.config.dataDir, 'outbox') });
  workers = startWorkers({ db: pipeline.db, queues: pipeline.queues, config: pipeline.config, credentialsKey: pipeline.credentialsKey, mail, log: pino({ level: 'silent' }) });
  task = sendDigests({ db: pipeline.db, queues: pipeline.queues, log: pino({ level: 'silent' }) });

  ({ businessId, sourceId: placesSourceId } = await createBusinessAndSource(pipeline, [OWNER], 'place-digests'));
  const settings = await pipeline.api('PATCH', `/v1/businesses/${businessId}`, { timezone: 'Europe/London', digest: { time: '07:15' } });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  // Mentions come from a second source, written directly: nothing polls it.
  const reddit = await pipeline.db
    .insertInto('sources')
    .values({ id: crypto.randomUUID(), account_id: pipeline.accountId, business_id: businessId, type: 'reddit', config: '{}', poll_every_minutes: 15 })
    .returning('id')
    .executeTakeFirstOrThrow();
  redditSourceId = reddit.id;
  slack = await slackChannel('#reviews', 200);

  // The owner replaces the default "flagged items at once to the alert addresses" with two rules of their own;
  // the default rule for items Earshot cannot judge stays: those go to the alert addresses' daily digest.
  const rules = await pipeline.api('GET', `/v1/businesses/${businessId}/alert-rules`);
  const instant = rules.body.rules.find((rule: { delivery: string }) => rule.delivery === 'instant');
  expect((await pipeline.api('DELETE' as 'GET', `/v1/alert-rules/${instant.id}`)).status).toBe(204);
  await addRule({ when: { ratingMax: 1, sourceTypes: ['google_places'], kinds: ['review'] }, to: { channelId: slack.channelId }, delivery: 'instant' });
  await addRule({ when: { ratingMax: 3, sentiments: ['neutral'], kinds: ['review', 'mention'], flaggedOnly: false }, to: { email: MANAGER }, delivery: 'daily' });
  due = nextDigestDue(SCHEDULE, new Date());
});
afterAll(async () => {
  await workers?.close();
  mail.close();
  await pipeline.stop();
  await smtp.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function addRule(rule: object): Promise<string> {
  const added = await pipeline.api('POST', `/v1/businesses/${businessId}/alert-rules`, rule);
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body.id;
}

let channels = 0;
async function slackChannel(name: string, status: number): Promise<{ channelId: string; receiver: FakeReceiver }> {
  channels++;
  const webhookUrl = `https://hooks.slack.test/services/T0000/B000${channels}/digestSecret${channels}XXXXXXXX`;
  const created = await pipeline.api('POST', '/v1/channels', { type: 'slack', name, config: { webhookUrl } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { channelId: created.body.id, receiver: nockReceiver(webhookUrl, { status, body: status === 200 ? 'ok' : 'no_service' }) };
}

function frenchMention(id: string): NormalizedItem {
  const text = "Le service était correct mais l'attente était très longue, je ne sais pas si nous reviendrons.";
  return { ...review(id, 1, text), kind: 'mention', rating: null, language: 'fr', url: `https://reddit.example/${id}` };
}

/** Moves the clock to just after the next send time, runs the task there, and returns how many digests it wrote. */
async function runAfterNextSendTime(run: PeriodicTask['run'] = (now) => task.run(now)): Promise<number> {
  const now = new Date(due.getTime() + MINUTE);
  due = nextDigestDue(SCHEDULE, now);
  return run(now);
}

const recipientOf = (mail: ParsedMail) => (mail.to as AddressObject).text;
const digestDeliveries = () => pipeline.db.selectFrom('alert_deliveries').selectAll().where('business_id', '=', businessId).where('kind', '=', 'daily_digest').execute();
const entriesOf = (itemId: string) => pipeline.db.selectFrom('digest_entries').select(['recipient', 'cadence']).where('item_id', '=', itemId).execute();
const instantOf = (itemId: string) => pipeline.db.selectFrom('alert_deliveries').select(['recipient', 'kind']).where('item_id', '=', itemId).execute();

test('a 1★ review goes to Slack at once, a 3★ one and an item Earshot cannot judge wait for the daily digest, emailed once after the period ends', async () => {
  const [oneStar] = await ingestAndQueue(pipeline, placesSourceId, [review('d-1', 1, 'Cold soup and rude staff. Never again.')]);
  const [threeStar] = await ingestAndQueue(pipeline, placesSourceId, [review('d-3', 3, NEUTRAL)]);
  const [french] = await ingestAndQueue(pipeline, redditSourceId, [frenchMention('d-fr')]);
  await pipeline.idle();

  await waitUntil('the 1★ review on Slack', async () => slack.receiver.accepted.length === 1);
  expect(slack.receiver.accepted[0]!.body).toContain('Cold soup and rude staff');
  expect(await instantOf(oneStar!)).toEqual([{ recipient: `channel:${slack.channelId}`, kind: 'negative_item' }]);
  expect(await entriesOf(oneStar!)).toEqual([]);
  expect(await instantOf(threeStar!)).toEqual([]);
  expect(await entriesOf(threeStar!)).toEqual([{ recipient: MANAGER, cadence: 'daily' }]);
  expect(await instantOf(french!)).toEqual([]);
  expect(await entriesOf(french!)).toEqual([{ recipient: OWNER, cadence: 'daily' }]);

  // Before the period ends, nothing is gathered.
  expect(await task.run(new Date())).toBe(0);
  expect(await task.run(new Date(due.getTime() - 1000))).toBe(0);
  expect(smtp.messages).toHaveLength(0);

  expect(await runAfterNextSendTime()).toBe(2);
  const mails = await smtp.waitFor(2);
  const toManager = mails.find((mail) => recipientOf(mail) === MANAGER)!;
  const toOwner = mails.find((mail) => recipientOf(mail) === OWNER)!;
  const { publicUrl } = pipeline.config;

  expect(toManager.subject).toBe('Daily digest for Test Diner: 1 new, 1 still unanswered');
  expect(toManager.text).toContain('1 new: 1 three-star review.');
  expect(toManager.text).toContain(NEUTRAL);
  expect(toManager.text).toContain(`${publicUrl}/items/${threeStar}`);
  expect(toManager.text).not.toContain('Cold soup');
  expect(toManager.html).toContain(`<a href="${publicUrl}/items/${threeStar}">`);
  expect(toManager.html).toContain(`<a href="${publicUrl}/">Open the inbox in Earshot</a>`);
  expect(toManager.headers.get('x-earshot-business')).toBe(businessId);

  expect(toOwner.subject).toBe('Daily digest for Test Diner: 1 new, 1 still unanswered');
  expect(toOwner.text).toContain('1 new: 1 mention.');
  expect(toOwner.text).toContain('1 could not be judged — please look.');
  expect(toOwner.text).toContain('Could not be judged — please look (1)');
  expect(toOwner.text).toContain(`${publicUrl}/items/${french}`);
  expect(toOwner.html).toContain('Could not be judged — please look (1)');
  expect(toOwner.html).toContain(`<a href="${publicUrl}/items/${french}">Le service était correct`);

  // Again, now or later the same day: nothing more.
  await pipeline.idle();
  expect(await task.run(new Date(due.getTime() - 12 * 60 * MINUTE))).toBe(0);
  await sleep(500);
  expect(smtp.messages).toHaveLength(2);
  const written = await digestDeliveries();
  expect(written.map((delivery) => [delivery.recipient, delivery.status, delivery.incident]).sort()).toEqual(
    [MANAGER, OWNER].map((recipient) => [recipient, 'sent', `daily:${new Date(due.getTime() - 86_400_000).toISOString().slice(0, 10)}`]),
  );
});

test('two schedulers on their own connections at the same instant write one digest per recipient; a long one reaches Slack cut between items', async () => {
  await addRule({ when: { sentiments: ['neutral'], flaggedOnly: false }, to: { channelId: slack.channelId }, delivery: 'daily' });
  const ids = await ingestAndQueue(pipeline, placesSourceId, Array.from({ length: 40 }, (_, n) => review(`d-many-${n}`, 3, `${NEUTRAL} Visit ${n}.`)));
  await pipeline.idle();
  expect(ids).toHaveLength(40);
  // Judged before the first period ended but after its digest to the manager was gathered:
  // they wait for the next one (where #reviews, which had nothing before, gets its first).

  const otherDb = createDb(pipeline.dbUrl, { maxConnections: 2 });
  try {
    const other = sendDigests({ db: otherDb, queues: pipeline.queues, log: pino({ level: 'silent' }) });
    const written = await runAfterNextSendTime(async (now) => (await Promise.all([task.run(now), other.run(now), task.run(now), other.run(now)])).reduce((a, b) => a + b));
    expect(written).toBe(2);
  } finally {
    await otherDb.destroy();
  }
  const mails = await smtp.waitFor(3);
  await waitUntil('the digest on Slack', async () => slack.receiver.accepted.length === 2);
  await pipeline.idle();
  await sleep(500);
  expect(smtp.messages).toHaveLength(3);
  expect(slack.receiver.accepted).toHaveLength(2);

  const toManager = mails[2]!;
  expect(recipientOf(toManager)).toBe(MANAGER);
  expect(toManager.subject).toBe('Daily digest for Test Diner: 40 new, 40 still unanswered');
  expect(toManager.text).toContain(`…and 15 more in the inbox: ${pipeline.config.publicUrl}/`);

  const payload = JSON.parse(slack.receiver.accepted[1]!.body) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
  expect(payload.blocks[0]!.text!.text).toBe('Daily digest for Test Diner: 40 new, 40 still unanswered');
  const section = payload.blocks[1]!.text!.text;
  expect(section.length).toBeLessThanOrEqual(3000);
  expect(section).toMatch(/items\/[0-9a-f-]{36}\n…cut short to fit this channel: see every item in the inbox: http/);
  expect(payload.text).toBe(section);
});

test('an empty period sends nothing', async () => {
  const before = (await digestDeliveries()).length;
  expect(await runAfterNextSendTime()).toBe(0);
  expect(await digestDeliveries()).toHaveLength(before);
  await sleep(300);
  expect(smtp.messages).toHaveLength(3);
});

test('a channel that refuses a digest as set up is marked, and the alert addresses are told by email once', async () => {
  const broken = await slackChannel('#gone', 404);
  await addRule({ when: { sentiments: ['neutral'], flaggedOnly: false }, to: { channelId: broken.channelId }, delivery: 'daily' });
  await ingestAndQueue(pipeline, placesSourceId, [review('d-broken', 3, NEUTRAL)]);
  await pipeline.idle();
  // The manager, #reviews and #gone each get a digest; #gone refuses it.
  expect(await runAfterNextSendTime()).toBe(3);
  const notice = await waitUntil('the notice to the alert address', async () =>
    smtp.messages.find((mail) => recipientOf(mail) === OWNER && /needs attention/i.test(mail.subject ?? '')),
  );
  expect(notice.text).toContain('#gone');
  expect(notice.headers.get('x-earshot-business')).toBe(businessId);
  await waitUntil('#gone to need attention', async () => (await pipeline.api('GET', `/v1/channels/${broken.channelId}`)).body.health.status === 'needs_attention');
  await sleep(1500);
  expect(smtp.messages.filter((mail) => /needs attention/i.test(mail.subject ?? ''))).toHaveLength(1);
  // Deleting the channel takes its digest with it, and the retries stop.
  expect((await pipeline.api('DELETE' as 'GET', `/v1/channels/${broken.channelId}`)).status).toBe(204);
  await pipeline.idle();
  expect(smtp.messages.filter((mail) => recipientOf(mail) === MANAGER)).toHaveLength(3);
});

test('two workers and a restart mid-digest: one digest', async () => {
  // From here on separate worker processes do the work: the in-process ones stop, and
  // #reviews goes (a child process cannot reach the Slack stand-in).
  await workers?.close();
  workers = undefined;
  expect((await pipeline.api('DELETE' as 'GET', `/v1/channels/${slack.channelId}`)).status).toBe(204);
  const before = smtp.messages.length;
  const tarpit = await startTarpit();
  const stuck = spawnEarshot(['start', '--role', 'worker'], await workerProcessEnv(pipeline, tarpit.url));
  const [itemId] = await ingestAndQueue(pipeline, placesSourceId, [review('d-crash', 3, `${NEUTRAL} Tuesday lunch.`)]);
  await waitUntil('the item to be put aside for the digest', async () => (await entriesOf(itemId!)).length === 1).catch((error: Error) => {
    throw new Error(`${error.message}\nworker output:\n${stuck.output()}`);
  });

  expect(await runAfterNextSendTime()).toBe(1);
  const claimed = await waitUntil('the digest to be claimed', async () =>
    pipeline.db.selectFrom('alert_deliveries').selectAll().where('business_id', '=', businessId).where('status', '=', 'sending').executeTakeFirst(),
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nworker output:\n${stuck.output()}`);
  });
  expect(claimed.recipient).toBe(MANAGER);

  const second = spawnEarshot(['start', '--role', 'worker'], await workerProcessEnv(pipeline, smtp.url));
  await stuck.kill('SIGKILL');
  await tarpit.stop();
  const restarted = spawnEarshot(['start', '--role', 'worker'], await workerProcessEnv(pipeline, smtp.url));
  try {
    const mails = await smtp.waitFor(before + 1, 40_000);
    expect(mails.at(-1)?.text).toContain('Tuesday lunch.');
    // A scheduler restarting runs the task again: the digest of this period is written already.
    expect(await task.run(new Date(due.getTime() - 60 * MINUTE))).toBe(0);
    // More than a lease and a stall check: time for a duplicate to show.
    await sleep(5000);
    expect(smtp.messages).toHaveLength(before + 1);
    const delivery = await pipeline.db.selectFrom('alert_deliveries').select('status').where('id', '=', claimed.id).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('sent');
  } finally {
    await second.kill('SIGTERM');
    await restarted.kill('SIGTERM');
  }
}, 90_000);
