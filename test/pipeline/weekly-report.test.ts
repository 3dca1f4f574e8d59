import type { ParsedMail } from 'mailparser';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NormalizedItem } from '../../connectors/contract.ts';
import { createDb } from '../../db/database.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { updateBusinessSettings } from '../../db/repositories/business-settings.ts';
import { createBusiness } from '../../db/repositories/businesses.ts';
import { insertUser } from '../../db/repositories/users.ts';
import type { DigestWeekday } from '../../db/schema.ts';
import { createQueues } from '../../services/jobs/queues.ts';
import { sendWeeklyReports } from '../../services/scheduler/send-weekly-reports.ts';
import { createSource } from '../../services/sources/store-source.ts';
import { ingestAndQueue } from '../support/items.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let pipeline: Pipeline;
let smtp: RecordingSmtp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://earshot.example.com' });
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS: DigestWeekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const task = () => sendWeeklyReports({ db: pipeline.db, queues: pipeline.queues });

interface Shop {
  accountId: string;
  businessId: string;
  sourceId: string;
}

/** A business of the account with a Google source (never polled), its weekly report set as given. */
async function shop(
  name: string,
  settings: { timezone: string; weekday: DigestWeekday; time: string; weeklyReport?: boolean; alertEmails?: string[] },
  accountId = pipeline.accountId,
): Promise<Shop> {
  const business = await createBusiness(pipeline.db, accountId, { name, timezone: settings.timezone, alertEmails: settings.alertEmails ?? ['alerts@shop.test'] });
  await updateBusinessSettings(pipeline.db, { accountId, businessIds: null }, business.id, {
    digestWeekday: settings.weekday,
    digestTime: settings.time,
    weeklyReport: settings.weeklyReport ?? true,
  });
  const source = await addSource(accountId, business.id, 'google_places', { placeId: `place-${business.id}` });
  return { accountId, businessId: business.id, sourceId: source };
}

async function addSource(accountId: string, businessId: string, type: string, config: Record<string, unknown>): Promise<string> {
  const source = await createSource(pipeline.db, pipeline.credentialsKey, { accountId, businessId, type, config, credentials: {}, pollEveryMinutes: 60, scheduled: false });
  return source.id;
}

async function owner(email: string, businessIds: string[] | null, role: 'owner' | 'staff' = 'owner', accountId = pipeline.accountId): Promise<void> {
  await insertUser(pipeline.db, { accountId, email, displayName: null, passwordHash: 'not-used-here', role, businessIds });
}

/** The weekly report deliveries written for a business, by recipient. */
async function reportsOf(businessId: string): Promise<Array<{ recipient: string; incident: string }>> {
  return pipeline.db
    .selectFrom('alert_deliveries')
    .select(['recipient', 'incident'])
    .where('business_id', '=', businessId)
    .where('kind', '=', 'weekly_report')
    .orderBy('incident')
    .orderBy('recipient')
    .execute();
}

const mailsAbout = (businessId: string): ParsedMail[] => smtp.messages.filter((mail) => mail.headers.get('x-earshot-business') === businessId);

function addressOf(mail: ParsedMail): string {
  const to = mail.to;
  const first = Array.isArray(to) ? to[0] : to;
  return first?.value[0]?.address ?? '';
}

/** One item of a fixture: published at `at`, answered on the platform `replyAfterHours` later when given. */
interface Fixture {
  id: string;
  kind?: 'review' | 'mention';
  rating: number | null;
  text: string;
  at: Date;
  replyAfterHours?: number;
}

function normalized(fixture: Fixture): NormalizedItem {
  return {
    externalId: fixture.id,
    kind: fixture.kind ?? 'review',
    url: `https://reviews.example/${fixture.id}`,
    author: 'A customer',
    rating: fixture.rating,
    title: null,
    body: fixture.text,
    language: 'en',
    publishedAt: fixture.at,
    updatedAt: null,
    ownerReply: fixture.replyAfterHours === undefined ? null : { text: 'Thank you for telling us.', at: new Date(fixture.at.getTime() + fixture.replyAfterHours * HOUR) },
    raw: { id: fixture.id },
  };
}

async function itemId(externalId: string): Promise<string> {
  const row = await pipeline.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
  return row.id;
}

describe('the weekly report', () => {
  // The week ends a little after now, at a whole minute, in UTC: weekday and time are read off it,
  // so everything done now (answers, re-review requests, revisions) falls inside the week.
  const end = new Date(Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000);
  const start = new Date(end.getTime() - 7 * DAY);
  const schedule = { timezone: 'UTC', weekday: WEEKDAYS[end.getUTCDay()]!, time: end.toISOString().slice(11, 16) };
  const ago = (ms: number, from = start) => new Date(from.getTime() - ms);

  // Ratings as they end up (p2 is revised from 2 to 5 stars this week). Week 11 is the report's own.
  const thisWeek: Fixture[] = [
    { id: 't1', rating: 5, text: 'Lovely coffee and friendly staff.', at: ago(2 * DAY, end), replyAfterHours: 2 },
    { id: 't2', rating: 4, text: 'Good food, a little slow at lunch.', at: ago(3 * DAY, end), replyAfterHours: 6 },
    { id: 't3', rating: 1, text: 'Cold food and rude staff, never again.', at: ago(1 * DAY, end) },
    { id: 't4', rating: 2, text: 'We waited an hour for a cold pizza.', at: ago(4 * DAY, end), replyAfterHours: 30 },
    // The first instant of the week belongs to it.
    { id: 't5', rating: 5, text: 'Wonderful brunch, we will be back.', at: start },
    { id: 't6', kind: 'mention', rating: null, text: 'Had a lovely lunch here today, great coffee and friendly people.', at: ago(5 * DAY, end) },
  ];
  const before: Fixture[] = [
    // The last instant before the week belongs to the week before.
    { id: 'p1', rating: 4, text: 'Nice place, good cakes.', at: ago(1000) },
    { id: 'p2', rating: 2, text: 'Rude waiter.', at: ago(9 * DAY), replyAfterHours: 3 },
    { id: 'p3', rating: 5, text: 'Best coffee in town.', at: ago(15 * DAY) },
    { id: 'p4', rating: 1, text: 'Awful, dirty tables everywhere.', at: ago(22 * DAY) },
    { id: 'p5', rating: 4, text: 'Good value for money.', at: ago(27 * DAY) },
    // Five weeks back: in the chart, not in the four weeks the rating is compared with.
    { id: 'o1', rating: 1, text: 'Terrible, I got food poisoning.', at: ago(30 * DAY) },
    { id: 'o2', rating: 5, text: 'Great service as always.', at: ago(60 * DAY) },
    // Before the twelve weeks: in no figure but the waiting list, were it waiting.
    { id: 'o3', rating: 5, text: 'Lovely evening.', at: ago(100 * DAY) },
  ];
  // A news item found through a feed: received, but it takes no answer.
  const news: Fixture = { id: 'n1', kind: 'mention', rating: null, text: 'A new bakery opened on the high street this week.', at: ago(2 * DAY, end) };

  test('goes once per owner for the week that ended, with its figures, not again on the next run nor from a second scheduler, and not where it is off', async () => {
    const diner = await shop('Luna <Diner> & Co', schedule);
    const off = await shop('Quiet Bistro', { ...schedule, weeklyReport: false });
    await owner('owner-a@shop.test', null);
    await owner('Owner-B@Shop.test', [diner.businessId]);
    await owner('owner-c@shop.test', [off.businessId]);
    await owner('staff@shop.test', null, 'staff');

    await ingestAndQueue(pipeline, diner.sourceId, [...thisWeek, ...before].map((fixture) => normalized(fixture)));
    const rss = await addSource(diner.accountId, diner.businessId, 'rss', { url: 'https://news.example/feed.xml' });
    await ingestAndQueue(pipeline, rss, [normalized(news)]);
    await ingestAndQueue(pipeline, off.sourceId, [normalized({ id: 'q1', rating: 1, text: 'Bad.', at: ago(DAY, end) })]);
    await pipeline.idle();

    // Re-reviews this week: p2 asked and revised from 2 to 5 stars, p5 asked and still pending.
    for (const externalId of ['p2', 'p5']) {
      const id = await itemId(externalId);
      expect((await pipeline.api('POST', `/v1/items/${id}/resolve`)).status).toBe(200);
      expect((await pipeline.api('POST', `/v1/items/${id}/re-review-requests`, { channel: 'email' })).status).toBe(201);
    }
    const p2 = before.find((fixture) => fixture.id === 'p2')!;
    await ingestAndQueue(pipeline, diner.sourceId, [{ ...normalized(p2), rating: 5, body: 'Rude waiter, but they made it right.', updatedAt: new Date() }]);
    await pipeline.idle();
    p2.rating = 5;
    expect(await pipeline.db.selectFrom('re_review_requests').select('status').where('item_id', '=', await itemId('p2')).executeTakeFirstOrThrow()).toEqual({ status: 'revised' });

    // The analyzer judged as the fixtures mean: one and two stars are bad, the rest (and the mentions) not.
    const bad = (fixture: Fixture) => fixture.rating !== null && fixture.rating <= 2;
    const flagged = await pipeline.db.selectFrom('items').select(['external_id', 'flagged']).where('business_id', '=', diner.businessId).execute();
    expect(Object.fromEntries(flagged.map((row) => [row.external_id, row.flagged]))).toEqual(
      Object.fromEntries([...thisWeek, ...before, news].map((fixture) => [fixture.id, bad(fixture)])),
    );

    // A minute before the week ends nothing is due; at its end one report per owner who sees the business.
    expect(await task().run(new Date(end.getTime() - 60_000))).toBe(0);
    const dueAt = new Date(end.getTime() + 60_000);
    const db2 = createDb(pipeline.dbUrl, { maxConnections: 2 });
    const queues2 = createQueues(pipeline.redisUrl, pipeline.config.queuePrefix);
    try {
      const [first, second] = await Promise.all([task().run(dueAt), sendWeeklyReports({ db: db2, queues: queues2 }).run(dueAt)]);
      expect(first + second).toBe(2);
    } finally {
      await queues2.close();
      await db2.destroy();
    }
    const key = `weekly:${end.toISOString().slice(0, 10)}`;
    expect(await reportsOf(diner.businessId)).toEqual([
      { recipient: 'owner-a@shop.test', incident: key },
      { recipient: 'owner-b@shop.test', incident: key },
    ]);
    expect(await reportsOf(off.businessId)).toEqual([]);

    // The next runs, and a scheduler started afresh later that day, write nothing more.
    expect(await task().run(new Date(dueAt.getTime() + 60_000))).toBe(0);
    expect(await task().run(new Date(end.getTime() + 20 * HOUR))).toBe(0);

    const mails = await waitUntil('both reports to arrive', async () => (mailsAbout(diner.businessId).length >= 2 ? mailsAbout(diner.businessId) : undefined));
    await pipeline.idle();
    await sleep(500);
    expect(mailsAbout(diner.businessId)).toHaveLength(2);
    expect(mailsAbout(off.businessId)).toHaveLength(0);
    expect(mails.map(addressOf).sort()).toEqual(['owner-a@shop.test', 'owner-b@shop.test']);

    // The figures, worked out here from the fixtures.
    const inWeek = (fixture: Fixture, from: Date, to: Date) => fixture.at >= from && fixture.at < to;
    const all = [...thisWeek, ...before, news];
    const weekStarts = Array.from({ length: 12 }, (_, index) => new Date(start.getTime() - (11 - index) * 7 * DAY));
    const perWeek = weekStarts.map((from) => all.filter((fixture) => inWeek(fixture, from, new Date(from.getTime() + 7 * DAY))));
    const received = perWeek.at(-1)!;
    const average = (fixtures: Fixture[]) => {
      const ratings = fixtures.flatMap((fixture) => (fixture.rating === null ? [] : [fixture.rating]));
      return { count: ratings.length, value: (ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length).toFixed(1) };
    };
    const now = average(received);
    const then = average(perWeek.slice(-5, -1).flat());
    const answerable = received.filter((fixture) => fixture !== news);
    const answered = answerable.filter((fixture) => fixture.replyAfterHours !== undefined).map((fixture) => fixture.replyAfterHours!).sort((a, b) => a - b);
    const waiting = all.filter((fixture) => bad(fixture) && fixture.replyAfterHours === undefined).sort((a, b) => a.at.getTime() - b.at.getTime());
    expect({ now, then, answered, waiting: waiting.map((fixture) => fixture.id) }).toEqual({
      now: { count: 5, value: '3.4' },
      then: { count: 5, value: '3.8' },
      answered: [2, 6, 30],
      waiting: ['o1', 'p4', 't3'],
    });

    const mail = mails[0]!;
    const text = mail.text ?? '';
    const endDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(end);
    expect(mail.subject).toBe(`Weekly report for Luna <Diner> & Co (week to ${endDay}): ${received.length} new, ${received.filter(bad).length} bad, ${waiting.length} waiting for an answer`);
    expect(text).toContain(`Received: ${received.filter((f) => f.kind !== 'mention').length} reviews and ${received.filter((f) => f.kind === 'mention').length} mentions this week (2 bad).`);
    expect(text).toContain(`Rating: Average rating ${now.value} from ${now.count} rated reviews, down from ${then.value} over the four weeks before.`);
    const share = Math.round((answered.length / answerable.length) * 1000) / 10;
    expect(text).toContain(`Answered: ${answered.length} of ${answerable.length} answered (${share}%), in ${answered[1]} hours at the median. 1 news or blog item takes no answer and is left out.`);
    expect(text).toContain('Re-reviews: 2 customers asked to re-review; 1 review revised, rating up 3 stars on average.');
    expect(text).toContain('3 bad items waiting for an answer, the worst first:');
    const links = [...text.matchAll(/https:\/\/earshot\.example\.com\/items\/([0-9a-f-]+)/g)].map((match) => match[1]);
    expect(links).toEqual(await Promise.all(waiting.map((fixture) => itemId(fixture.id))));
    expect(text).toContain(`Open the inbox: https://earshot.example.com/?business=${diner.businessId}`);
    // The chart's twelve weeks, oldest first: items received and the bad among them.
    const chart = text.split('\n').slice(text.split('\n').findIndex((line) => line.startsWith('Reviews and mentions received in each')) + 1).slice(0, 12);
    const bars = chart.map((line) => /(\d+)(?: \((\d+) bad\))?$/.exec(line)!).map((match) => [Number(match[1]), Number(match[2] ?? 0)]);
    expect(bars).toEqual(perWeek.map((fixtures) => [fixtures.length, fixtures.filter(bad).length]));

    // The HTML part: the same figures, the chart as table cells, the name escaped.
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('Weekly report for Luna &lt;Diner&gt; &amp; Co');
    expect(html).toContain(`Average rating ${now.value} from ${now.count} rated reviews, down from ${then.value} over the four weeks before.`);
    expect(html.match(/<td valign="bottom"/g)).toHaveLength(12);
    expect(html).not.toMatch(/<img|<script|<style|class=/i);
  });

  test('where nobody is an owner of the account, the alert addresses get it; a week with nothing says so', async () => {
    const account = await createAccount(pipeline.db, 'API only');
    // Monday 1 June 2026, 09:00 UTC.
    const quiet = await shop('Harbour Kiosk', { timezone: 'UTC', weekday: 'monday', time: '09:00', alertEmails: ['Alerts@Kiosk.test', 'ops@kiosk.test', 'alerts@kiosk.test'] }, account.id);
    await owner('staff@kiosk.test', null, 'staff', account.id);
    expect(await task().run(new Date('2026-06-01T09:00:00Z'))).toBe(2);
    expect(await reportsOf(quiet.businessId)).toEqual([
      { recipient: 'alerts@kiosk.test', incident: 'weekly:2026-06-01' },
      { recipient: 'ops@kiosk.test', incident: 'weekly:2026-06-01' },
    ]);
    const mails = await waitUntil('the reports', async () => (mailsAbout(quiet.businessId).length >= 2 ? mailsAbout(quiet.businessId) : undefined));
    expect(mails[0]!.subject).toBe('Weekly report for Harbour Kiosk (week to 1 Jun): nothing new');
    expect(mails[0]!.text).toContain('Mon, 25 May 2026, 09:00 to Mon, 1 Jun 2026, 09:00 (UTC)');
    expect(mails[0]!.text).toContain('Received: No new reviews or mentions this week.');
    expect(mails[0]!.text).toContain('No bad items waiting for an answer.');
  });

  test('a business with no source and no item yet is passed over', async () => {
    const business = await createBusiness(pipeline.db, pipeline.accountId, { name: 'Not set up', timezone: 'UTC', alertEmails: ['alerts@new.test'] });
    await updateBusinessSettings(pipeline.db, { accountId: pipeline.accountId, businessIds: null }, business.id, { digestWeekday: 'monday', digestTime: '09:00' });
    await task().run(new Date('2026-06-08T09:00:00Z'));
    expect(await reportsOf(business.id)).toEqual([]);
  });
});

describe('when it is due, in the business’s time zone', () => {
  /** An account of its own with one owner, so the recipients are known whatever ran before. */
  async function ownedAccount(email: string): Promise<string> {
    const account = await createAccount(pipeline.db, email);
    await owner(email, null, 'owner', account.id);
    return account.id;
  }

  test('spring forward in London: a time the night skips is due an hour later on the new clock, once', async () => {
    // Sundays at 01:30: on 29 March 2026 clocks jump from 01:00 to 02:00, so 01:30 is 02:30 BST (01:30 UTC).
    const london = await shop('London Sunday', { timezone: 'Europe/London', weekday: 'sunday', time: '01:30' }, await ownedAccount('london@shop.test'));
    // One scheduler ticking on (what it noted of the reports written is used); New York's below starts afresh every time.
    const scheduler = task();
    const at = (iso: string) => scheduler.run(new Date(iso));
    await at('2026-03-29T00:59:00Z');
    expect(await reportsOf(london.businessId)).toEqual([]);
    await at('2026-03-29T01:29:59Z');
    expect(await reportsOf(london.businessId)).toEqual([]);
    await at('2026-03-29T01:30:00Z');
    await at('2026-03-29T01:31:00Z');
    await at('2026-03-30T01:29:00Z');
    expect(await reportsOf(london.businessId)).toEqual([{ recipient: 'london@shop.test', incident: 'weekly:2026-03-29' }]);
    // A week later (BST all along), a scheduler back a day late or more does not send that week's.
    await at('2026-04-06T00:30:00Z');
    expect((await reportsOf(london.businessId)).map((row) => row.incident)).toEqual(['weekly:2026-03-29']);
    // …but one back within the day does: 01:30 BST is 00:30 UTC, and 23 h 59 min later is still in time.
    await at('2026-04-06T00:29:00Z');
    expect((await reportsOf(london.businessId)).map((row) => row.incident)).toEqual(['weekly:2026-03-29', 'weekly:2026-04-05']);
  });

  test('fall back in New York: a time the night repeats is due once, at its later instant', async () => {
    // Sundays at 01:30: on 1 November 2026 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    const newYork = await shop('New York Sunday', { timezone: 'America/New_York', weekday: 'sunday', time: '01:30' }, await ownedAccount('new-york@shop.test'));
    const at = (iso: string) => task().run(new Date(iso));
    await at('2026-11-01T05:30:00Z');
    await at('2026-11-01T06:29:00Z');
    expect(await reportsOf(newYork.businessId)).toEqual([]);
    await at('2026-11-01T06:30:00Z');
    await at('2026-11-01T06:31:00Z');
    await at('2026-11-02T06:00:00Z');
    expect(await reportsOf(newYork.businessId)).toEqual([{ recipient: 'new-york@shop.test', incident: 'weekly:2026-11-01' }]);
  });
});
