/**
 * One connection of the Google notifications stream against a loopback Google, without
 * the runtime: it pulls with the source's token, reports each notified review as the poll
 * reads it, acknowledges only when told the batch is committed, goes on pulling when
 * Google refuses the notification setting, and is refused a private address unless allowed.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Logger } from '../../connectors/contract.ts';
import { googlePubsubStream, type PubsubPayload } from '../../connectors/google-business/pubsub-stream.ts';
import { StreamError, type StreamContext, type StreamEvent } from '../../connectors/stream-contract.ts';
import { createConnectorHttp } from '../../services/sources/http/connector-http.ts';
import { startFakeGooglePubsub, type FakeGooglePubsub } from '../support/fake-google-pubsub.ts';
import { waitUntil } from '../support/wait.ts';

let google: FakeGooglePubsub;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  google = await startFakeGooglePubsub({ pullHoldMs: 100 });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(async () => {
  await google.stop();
});

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? ''), error() {} };
}

/** Opens a connection for the fake's source; resolves its events as they come. */
function connect(allowPrivateUrls: boolean) {
  const stop = new AbortController();
  const log = recordingLog();
  const http = createConnectorHttp({ platform: 'google_business', allowPrivateUrls, signal: stop.signal, log });
  const source = google.source({ topic: true });
  const [connection] = googlePubsubStream.connections!([{ id: 'source-1', config: source.config, credentials: source.credentials }], log);
  const ctx: StreamContext = {
    openWebSocket: () => Promise.reject(new Error('not a WebSocket stream')),
    fetchJson: () => Promise.reject(new Error('not used')),
    http,
    log,
    now: () => new Date(),
    signal: stop.signal,
    subscription: connection!.subscription,
  };
  const events: Array<StreamEvent<PubsubPayload>> = [];
  let opened = false;
  const ended = googlePubsubStream.connect(connection!.endpoint, null, ctx, { opened: () => (opened = true), event: (event) => events.push(event) });
  stops.push(async () => {
    stop.abort();
    await ended.catch(() => undefined);
    await http.close();
  });
  return { ctx, log, events, ended, isOpen: () => opened };
}

test('a notified review is reported as the poll reads it, and acknowledged only once committed; a refused notification setting does not stop the pulls', async () => {
  google.refuseNotificationSetting = true;
  const connection = connect(true);
  await waitUntil('the first pull', async () => connection.isOpen());
  expect(connection.log.warnings).toContain('the notification setting could not be set; the subscription is read all the same');

  const review = google.publishReview({ reviewId: 'r-1', stars: 'ONE', comment: 'Cold soup.' });
  await waitUntil('the event', async () => connection.events.length === 1);
  const [event] = connection.events;
  expect(event!.payload).toMatchObject({ location: `${google.accountId}/${google.locationId}`, item: { externalId: 'r-1', rating: 1, body: 'Cold soup.' } });
  // Latency counts from Pub/Sub's publishTime, which is no later than now.
  expect(event!.announcedAt.getTime()).toBeLessThanOrEqual(Date.now());
  expect(event!.announcedAt.getTime()).toBeGreaterThanOrEqual(new Date(review.createTime).getTime() - 1000);
  // Not yet committed: nothing acknowledged.
  expect(google.acks).toEqual([]);
  expect(google.unacked()).toBe(1);

  await googlePubsubStream.committed!(connection.events, connection.ctx);
  expect(google.acks).toEqual([[event!.cursor]]);
  expect(google.unacked()).toBe(0);
  google.refuseNotificationSetting = false;
});

test('a review Google answers unreadably is acknowledged and skipped, and the reviews after it come', async () => {
  const connection = connect(true);
  await waitUntil('the first pull', async () => connection.isOpen());
  google.garbledReviews.add('r-garbled');
  google.publishReview({ reviewId: 'r-garbled', stars: 'ONE', comment: 'Unreadable.' });
  google.publishReview({ reviewId: 'r-2', stars: 'TWO', comment: 'Slow service.' });
  await waitUntil('the next review', async () => connection.events.length === 1);
  expect(connection.events[0]!.payload).toMatchObject({ item: { externalId: 'r-2' } });
  expect(connection.log.warnings).toContain('a notified review Google answered unreadably was acknowledged and skipped');
  await waitUntil('the unreadable one acknowledged', async () => google.unacked() === 1);
  await googlePubsubStream.committed!(connection.events, connection.ctx);
  expect(google.unacked()).toBe(0);
});

test('a private address is refused unless allowed, as a config error', async () => {
  const connection = connect(false);
  const failure = await connection.ended.then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(StreamError);
  expect((failure as StreamError).kind).toBe('config');
  expect((failure as StreamError).message).toMatch(/private|loopback/i);
});
