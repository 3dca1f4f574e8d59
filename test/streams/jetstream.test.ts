/**
 * Bluesky's Jetstream end to end, on loopback: a server speaking Jetstream (and the
 * search API the poll uses) feeds the real workers; posts naming a source's terms are
 * stored, judged and alerted once, a dropped connection resumes from the committed
 * cursor without losing or doubling anything, and a later poll of the same posts adds
 * nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REWIND_US } from '../../connectors/bluesky/jetstream.ts';
import { startFakeBluesky, type FakeBluesky, type FakePost } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { addPerson, signInWithForm } from '../support/web.ts';

let bluesky: FakeBluesky;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let sourceId: string;
const published: FakePost[] = [];

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Blue Fern Cafe'], excludeTerms: ['giveaway'], baseUrl: bluesky.url },
    credentials: { identifier: 'watcher.test', appPassword: 'abcd-efgh-ijkl-mnop' },
  });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  await bluesky.stop();
});

function post(text: string, options: { did?: string } = {}): FakePost {
  const sent = bluesky.post(text, options);
  published.push(sent);
  return sent;
}

const health = async () => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

async function streamRow() {
  return pipeline.db.selectFrom('stream_cursors').selectAll().where('stream', '=', 'bluesky_jetstream').executeTakeFirstOrThrow();
}

async function items() {
  return pipeline.db
    .selectFrom('items')
    .select(['id', 'external_id', 'body', 'flagged', 'removed_at', 'last_seen_at'])
    .where('source_id', '=', sourceId)
    .orderBy('external_id')
    .execute();
}

/** Waits until the stream has committed everything up to the latest event published. */
async function committedUpTo(timeUs: number): Promise<number> {
  return waitUntil(`the stream to commit up to ${timeUs}`, async () => {
    const cursor = (await streamRow()).cursor;
    return typeof cursor === 'number' && cursor >= timeUs ? cursor : undefined;
  });
}

async function eventCount(type: string): Promise<number> {
  const row = await pipeline.db
    .selectFrom('item_events')
    .innerJoin('items', 'items.id', 'item_events.item_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('items.source_id', '=', sourceId)
    .where('item_events.type', '=', type as never)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('posts naming the source’s terms are stored, judged and alerted once; the rest is ignored', async () => {
  await waitUntil('the stream to connect', async () => (await health()).stream?.state === 'connected');
  // A fresh stream starts from now: nothing to resume.
  expect(bluesky.connections).toEqual([{ cursor: null, wantedCollections: 'app.bsky.feed.post', at: expect.any(Number) }]);

  bluesky.noise(20);
  const complaint = post('Blue Fern Cafe: cold soup, a rude waiter and a forty minute wait. Never again.');
  post('Lovely brunch at BLUE FERN CAFE, the pancakes were wonderful');
  post('The Blue Ferns Cafeteria downtown is fine'); // a loose match only
  post('Blue Fern Cafe giveaway: win a free coffee!'); // excluded
  post('nothing to do with it at all');
  bluesky.noise(20);
  const last = post('another unrelated post');

  await committedUpTo(last.timeUs);
  await pipeline.idle();
  const stored = await items();
  expect(stored.map((item) => item.external_id).sort()).toEqual([bluesky.uriOf(complaint), bluesky.uriOf(published[1]!)].sort());
  expect(stored.find((item) => item.external_id === bluesky.uriOf(complaint))?.flagged).toBe(true);
  expect(stored.find((item) => item.external_id !== bluesky.uriOf(complaint))?.flagged).toBe(false);

  const [mail] = await smtp.waitFor(1);
  expect(mail?.to).toMatchObject({ text: 'owner@bluefern.test' });
  expect(mail?.text).toContain('cold soup, a rude waiter');
  await sleep(500);
  expect(smtp.messages).toHaveLength(1);

  const { stream } = await health();
  expect(stream).toEqual({ state: 'connected', lastEventAt: new Date(last.timeUs / 1000).toISOString(), lagSeconds: expect.any(Number) });
  expect(stream.lagSeconds).toBeGreaterThanOrEqual(0);
  expect(stream.lagSeconds).toBeLessThan(30);

  // The web app shows the same health in words.
  await addPerson(pipeline.db, pipeline.accountId, { email: 'olive@bluefern.test', role: 'owner' });
  const page = await (await signInWithForm(pipeline, 'olive@bluefern.test')).get(`/sources/${sourceId}`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toMatch(/<dt>Live stream<\/dt><dd>Connected; last event <time datetime="[^"]+">[^<]+<\/time> <span class="muted">\([^)]+\)<\/span>, [\d.]+ s behind the platform<\/dd>/);
});

test('a connection dropped mid-stream resumes from the committed cursor, losing and doubling nothing', async () => {
  const before = (await items()).length;
  const mailsBefore = smtp.messages.length;
  const committedBefore = await committedUpTo(published.at(-1)!.timeUs);

  for (let n = 0; n < 10; n++) {
    post(`Blue Fern Cafe visit ${n}: decent coffee`);
    bluesky.noise(3);
  }
  const burnt = post('Blue Fern Cafe served me a burnt, awful sandwich. Terrible and rude.');
  bluesky.hold();
  bluesky.dropConnections();
  // Published while no one listens: only a replay from the cursor brings these.
  const missed = [post('Blue Fern Cafe while you were away, one'), post('Blue Fern Cafe while you were away, two')];

  await waitUntil('the stream to reconnect', async () => bluesky.connections.length === 2, 30_000);
  // Held: the new connection has been sent nothing, so the committed cursor stands still.
  const committed = (await streamRow()).cursor as number;
  expect(committed).toBeGreaterThanOrEqual(committedBefore);
  expect(committed).toBeLessThanOrEqual(burnt.timeUs);
  const resumedFrom = bluesky.connections[1]?.cursor;
  expect(resumedFrom).toBe(committed - REWIND_US);
  expect(committed - (resumedFrom ?? 0)).toBeLessThanOrEqual(5_000_000);
  bluesky.release();

  await committedUpTo(missed[1]!.timeUs);
  await pipeline.idle();
  const stored = await items();
  expect(stored).toHaveLength(before + 13);
  expect(new Set(stored.map((item) => item.external_id)).size).toBe(stored.length);
  const mails = await smtp.waitFor(mailsBefore + 1);
  expect(mails.at(-1)?.text).toContain('burnt, awful sandwich');
  await sleep(500);
  expect(smtp.messages).toHaveLength(mailsBefore + 1);
  // Replayed posts were seen again and changed nothing; each complaint was flagged and alerted once.
  expect(await eventCount('revised')).toBe(0);
  expect(await eventCount('flagged')).toBe(2);
  expect(await eventCount('alerted')).toBe(2);
});

test('a deleted post is marked removed', async () => {
  const leaving = published.find((sent) => sent.text.startsWith('Blue Fern Cafe visit 3'))!;
  bluesky.deletePost(leaving);
  published.splice(published.indexOf(leaving), 1);
  await waitUntil('the removal', async () => (await items()).find((item) => item.external_id === bluesky.uriOf(leaving))?.removed_at ?? undefined);
  expect((await items()).filter((item) => item.removed_at !== null)).toHaveLength(1);
});

test('a later poll of the same posts adds nothing', async () => {
  const before = await items();
  const mailsBefore = smtp.messages.length;
  const polled = await pipeline.api('POST', `/v1/sources/${sourceId}/poll`);
  expect(polled.status).toBe(202);
  await waitUntil('the poll to succeed', async () => (await health()).lastSuccessAt !== null);
  await pipeline.idle();
  const after = await items();
  expect(after.map((item) => [item.id, item.external_id])).toEqual(before.map((item) => [item.id, item.external_id]));
  // The poll did find them: every post still there was seen again, as the same item.
  const seenAgain = after.filter((item, n) => item.last_seen_at > before[n]!.last_seen_at);
  expect(seenAgain.map((item) => item.external_id)).toEqual(after.filter((item) => item.removed_at === null).map((item) => item.external_id));
  expect(await eventCount('revised')).toBe(0);
  await sleep(500);
  expect(smtp.messages).toHaveLength(mailsBefore);
  expect((await health()).status).toBe('ok');
});
