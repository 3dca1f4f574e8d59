/**
 * Where latency is counted from, on loopback: a streamed post is stored with the
 * Jetstream event's time_us as its announced_at, which a later poll leaves as it was;
 * a post only the poll found has none. GET /v1/metrics/latency then measures both legs.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { waitUntil } from '../support/wait.ts';

let bluesky: FakeBluesky;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let sourceId: string;

beforeAll(async () => {
  bluesky = await startFakeBluesky();
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, BLUESKY_JETSTREAM_URL: bluesky.jetstreamUrl, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Quick Owl Bakery', alertEmails: ['owner@quickowl.test'] });
  const source = await pipeline.api('POST', `/v1/businesses/${business.body.id}/sources`, {
    type: 'bluesky',
    config: { terms: ['Quick Owl Bakery'], baseUrl: bluesky.url },
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

async function announcedAt(externalId: string): Promise<Date | null | undefined> {
  const row = await pipeline.db.selectFrom('items').select('announced_at').where('source_id', '=', sourceId).where('external_id', '=', externalId).executeTakeFirst();
  return row?.announced_at;
}

test('a streamed item keeps its event time as announced_at; a polled one has none', async () => {
  await waitUntil('the stream to connect', async () => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health.stream?.state === 'connected');
  const streamed = bluesky.post('Quick Owl Bakery sold me a stale, mouldy loaf and the staff were rude. Awful.');
  // Published where only the search finds it: no event reaches the stream.
  const polledOnly = bluesky.post('Quick Owl Bakery: terrible service, waited an hour, awful.', { live: false });
  bluesky.noise(3);

  const stored = await waitUntil('the streamed post', async () => (await announcedAt(bluesky.uriOf(streamed))) ?? undefined);
  expect(stored.getTime()).toBe(Math.floor(streamed.timeUs / 1000));
  await smtp.waitFor(1);

  const polled = await pipeline.api('POST', `/v1/sources/${sourceId}/poll`);
  expect(polled.status).toBe(202);
  await waitUntil('the poll to store the other post', async () => ((await announcedAt(bluesky.uriOf(polledOnly))) === null ? true : undefined));
  await pipeline.idle();
  // Seen again by the poll: the first announcement stands.
  expect((await announcedAt(bluesky.uriOf(streamed)))?.getTime()).toBe(stored.getTime());
  await smtp.waitFor(2);

  const latency = await pipeline.api('GET', '/v1/metrics/latency');
  expect(latency.status).toBe(200);
  const [bluesky_] = latency.body.sourceTypes;
  expect(latency.body.sourceTypes).toHaveLength(1);
  expect(bluesky_).toMatchObject({ sourceType: 'bluesky', count: 2, alerted: 2 });
  for (const leg of [bluesky_.announcedToFirstSeen, bluesky_.firstSeenToAlert]) {
    expect(leg.p50).toBeGreaterThanOrEqual(0);
    expect(leg.p99).toBeGreaterThanOrEqual(leg.p50);
    expect(leg.p99).toBeLessThan(60_000);
  }
});
