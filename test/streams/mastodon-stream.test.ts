/**
 * Mastodon streaming end to end, on loopback: two instances speaking Mastodon's
 * streaming WebSocket (and the REST API the poll reads) feed the real workers. One
 * connection per instance subscribes to every hashtag its sources follow (and the public
 * timeline for their terms); posts are stored, judged and alerted once; edits are
 * revisions and deletions removals; a dropped connection reconnects and, Mastodon
 * keeping no replay, polls its sources for the gap, losing and doubling nothing; a later
 * poll adds nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from '../support/smtp.ts';
import { sleep, waitUntil } from '../support/wait.ts';

let main: FakeMastodon;
let other: FakeMastodon;
let smtp: RecordingSmtp;
let pipeline: Pipeline;
let cafe: string;
let brunch: string;
let elsewhere: string;

let businessId: string;

async function addSource(config: Record<string, unknown>, credentials: Record<string, string> = {}): Promise<string> {
  const source = await pipeline.api('POST', `/v1/businesses/${businessId}/sources`, { type: 'mastodon', config, credentials });
  expect(source.status).toBe(201);
  return source.body.id;
}

beforeAll(async () => {
  main = await startFakeMastodon('main.social.test');
  other = await startFakeMastodon('other.social.test');
  smtp = await startRecordingSmtp();
  pipeline = await startPipeline({ SMTP_URL: smtp.url, EARSHOT_ALLOW_PRIVATE_URLS: 'true' });
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Blue Fern Cafe', alertEmails: ['owner@bluefern.test'] });
  businessId = business.body.id;
  cafe = await addSource({ instanceUrl: main.url, hashtags: ['BlueFern'], terms: ['Blue Fern Cafe'], excludeTerms: ['giveaway'] });
  brunch = await addSource({ instanceUrl: main.url, hashtags: ['fernbrunch'] });
  elsewhere = await addSource({ instanceUrl: other.url, hashtags: ['bluefern'] });
  pipeline.startWorkers();
});
afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
  await main.stop();
  await other.stop();
});

const health = async (sourceId: string) => (await pipeline.api('GET', `/v1/sources/${sourceId}`)).body.health;

async function items(sourceId: string) {
  return pipeline.db
    .selectFrom('items')
    .select(['id', 'external_id', 'body', 'flagged', 'removed_at', 'last_seen_at'])
    .where('source_id', '=', sourceId)
    .orderBy('external_id')
    .execute();
}

async function eventCount(type: string): Promise<number> {
  const row = await pipeline.db
    .selectFrom('item_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('item_events.type', '=', type as never)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function polledSince(sourceId: string, after: Date | null): Promise<Date | undefined> {
  const at = (await health(sourceId)).lastSuccessAt as string | null;
  return at !== null && (after === null || new Date(at) > after) ? new Date(at) : undefined;
}

test('one connection per instance subscribes to its sources’ hashtags and terms; matching posts are stored, judged and alerted once', async () => {
  await waitUntil('both instances to be subscribed to', async () => main.connections[0]?.subscriptions.length === 3 && other.connections[0]?.subscriptions.length === 1);
  expect(main.connections).toHaveLength(1);
  expect(main.connections[0]?.subscriptions).toEqual(['hashtag:bluefern', 'hashtag:fernbrunch', 'public']);
  expect(other.connections).toHaveLength(1);
  expect(other.connections[0]?.subscriptions).toEqual(['hashtag:bluefern']);
  // Mastodon keeps no replay: a connection that opens polls its sources for what came before.
  for (const sourceId of [cafe, brunch, elsewhere]) await waitUntil('the catch-up poll', () => polledSince(sourceId, null));
  const rows = await pipeline.db.selectFrom('stream_cursors').select(['stream', 'state']).orderBy('stream').execute();
  expect(rows).toEqual(
    [
      { stream: `mastodon:${main.url}`, state: 'connected' },
      { stream: `mastodon:${other.url}`, state: 'connected' },
    ].sort((a, b) => (a.stream < b.stream ? -1 : 1)),
  );

  const complaint = main.post('Cold soup, a rude waiter and a forty minute wait. Never again.', { hashtags: ['BlueFern'] });
  const praise = main.post('Lovely brunch at BLUE FERN CAFE, the pancakes were wonderful');
  main.post('Win a free coffee in our giveaway!', { hashtags: ['bluefern'] }); // excluded
  main.post('The Blue Ferns Cafeteria downtown is fine'); // a loose match only
  main.post('nothing to do with it at all');
  const weekend = main.post('Weekend pancakes were wonderful, friendly staff', { hashtags: ['fernbrunch'] });

  await waitUntil('the streamed posts', async () => (await items(cafe)).length === 2 && (await items(brunch)).length === 1);
  await pipeline.idle();
  const stored = await items(cafe);
  expect(stored.map((item) => item.external_id)).toEqual([complaint.uri, praise.uri].sort());
  expect(stored.find((item) => item.external_id === complaint.uri)?.flagged).toBe(true);
  expect(stored.find((item) => item.external_id === praise.uri)?.flagged).toBe(false);
  expect((await items(brunch)).map((item) => item.external_id)).toEqual([weekend.uri]);
  // The other instance's source hears nothing posted on this one.
  expect(await items(elsewhere)).toEqual([]);

  const [mail] = await smtp.waitFor(1);
  expect(mail?.to).toMatchObject({ text: 'owner@bluefern.test' });
  expect(mail?.text).toContain('Cold soup, a rude waiter');
  await sleep(500);
  expect(smtp.messages).toHaveLength(1);
  // Each source shows its own instance's connection: the other instance has sent nothing yet.
  expect((await health(cafe)).stream).toEqual({ state: 'connected', lastEventAt: weekend.created_at, lagSeconds: expect.any(Number) });
  expect((await health(elsewhere)).stream).toEqual({ state: 'connected', lastEventAt: null, lagSeconds: null });
});

test('an edit is a revision and a deletion a removal', async () => {
  const connectionsBefore = main.connections.length;
  const posted = main.post('Blue Fern Cafe has a new terrace', { hashtags: ['bluefern'] });
  await waitUntil('the new post', async () => (await items(cafe)).some((item) => item.external_id === posted.uri));
  main.edit(posted, 'Blue Fern Cafe has a new terrace, and heaters too');
  await waitUntil('the revision', async () => (await items(cafe)).find((item) => item.external_id === posted.uri)?.body.includes('heaters'));
  expect(await eventCount('revised')).toBe(1);
  main.deleteStatus(posted);
  await waitUntil('the removal', async () => (await items(cafe)).find((item) => item.external_id === posted.uri)?.removed_at ?? undefined);
  expect((await items(cafe)).filter((item) => item.removed_at !== null).map((item) => item.external_id)).toEqual([posted.uri]);
  // Both came over the same connection: nothing was polled for them.
  expect(main.connections).toHaveLength(connectionsBefore);
});

test('a dropped connection reconnects and polls for the gap, losing and doubling nothing', async () => {
  await pipeline.idle();
  const before = (await items(cafe)).length;
  const mailsBefore = smtp.messages.length;
  const polledBefore = new Date((await health(cafe)).lastSuccessAt);

  main.dropConnections();
  // Posted while no one listens: the stream never sends these again; only the catch-up poll finds them.
  const missed = main.post('Burnt, awful sandwich and a rude cashier. Terrible.', { hashtags: ['bluefern'] });
  const missedToo = main.post('Blue Fern Cafe while you were away');

  await waitUntil('the stream to reconnect', async () => main.connections.length === 2 && main.connections[1]!.subscriptions.length === 3, 30_000);
  await waitUntil('the catch-up poll', () => polledSince(cafe, polledBefore), 30_000);
  // And what comes after the reconnect streams as before.
  const after = main.post('Blue Fern Cafe is back to normal, good coffee');
  await waitUntil('everything', async () => (await items(cafe)).length === before + 3);
  await pipeline.idle();
  const stored = await items(cafe);
  expect(stored.map((item) => item.external_id)).toEqual(expect.arrayContaining([missed.uri, missedToo.uri, after.uri]));
  expect(new Set(stored.map((item) => item.external_id)).size).toBe(stored.length);
  const mails = await smtp.waitFor(mailsBefore + 1);
  expect(mails.at(-1)?.text).toContain('Burnt, awful sandwich');
  await sleep(500);
  expect(smtp.messages).toHaveLength(mailsBefore + 1);
  expect(await eventCount('flagged')).toBe(2);
  expect(await eventCount('alerted')).toBe(2);
  // The other instance's connection was not touched.
  expect(other.connections).toHaveLength(1);
});

test('a later poll of the same posts adds nothing', async () => {
  const before = await items(cafe);
  const mailsBefore = smtp.messages.length;
  const revisedBefore = await eventCount('revised');
  const polledBefore = new Date((await health(cafe)).lastSuccessAt);
  const polled = await pipeline.api('POST', `/v1/sources/${cafe}/poll`);
  expect(polled.status).toBe(202);
  await waitUntil('the poll to succeed', () => polledSince(cafe, polledBefore));
  await pipeline.idle();
  const after = await items(cafe);
  expect(after.map((item) => [item.id, item.external_id])).toEqual(before.map((item) => [item.id, item.external_id]));
  expect(await eventCount('revised')).toBe(revisedBefore);
  await sleep(500);
  expect(smtp.messages).toHaveLength(mailsBefore);
  expect((await health(cafe)).status).toBe('ok');
});

test('a post the stream never saw, stored by the catch-up poll, is removed when deleted', async () => {
  const [polled] = (await items(cafe)).filter((item) => item.body.includes('while you were away'));
  const status = main.statuses().find((candidate) => candidate.uri === polled!.external_id)!;
  main.deleteStatus(status);
  await waitUntil('the removal', async () => (await items(cafe)).find((item) => item.external_id === status.uri)?.removed_at ?? undefined);
  expect((await items(cafe)).filter((item) => item.removed_at !== null)).toHaveLength(2);
});

test('a source with its own access token gets a connection of its own, sent with the token, as soon as it is added', async () => {
  const fans = await addSource({ instanceUrl: other.url, hashtags: ['fernfans'] }, { accessToken: 'fans-token' });
  await waitUntil('the token’s connection', async () => other.connections[1]?.subscriptions.length === 1, 30_000);
  expect(other.connections.map(({ authorization, subscriptions }) => ({ authorization, subscriptions }))).toEqual([
    { authorization: null, subscriptions: ['hashtag:bluefern'] },
    { authorization: 'Bearer fans-token', subscriptions: ['hashtag:fernfans'] },
  ]);
  // The token-less connection goes on for the source that has no token.
  expect(other.openNow()).toBe(2);
  const cheer = other.post('Best cake in town', { hashtags: ['fernfans'] });
  await waitUntil('the post', async () => (await items(fans)).length === 1);
  expect((await items(fans)).map((item) => item.external_id)).toEqual([cheer.uri]);
  expect(await items(elsewhere)).toEqual([]);
  // (Its health shows a connection to its instance, not necessarily the one with its token: the row does not say whose token it has.)
  expect((await health(fans)).stream.state).toBe('connected');
});

test('connections follow their sources: a hashtag added resubscribes, a paused last source ends its connection and its row', async () => {
  const changed = await pipeline.api('PATCH', `/v1/sources/${elsewhere}`, { config: { instanceUrl: other.url, hashtags: ['bluefern', 'ferncakes'] } });
  expect(changed.status).toBe(200);
  await waitUntil('the resubscription', async () => other.connections.some((connection) => connection.authorization === null && connection.subscriptions.includes('hashtag:ferncakes')), 30_000);
  await waitUntil('one token-less connection, with both hashtags', async () => other.openNow() === 2);
  expect(other.connections.filter((connection) => connection.authorization === null).at(-1)?.subscriptions).toEqual(['hashtag:bluefern', 'hashtag:ferncakes']);
  const cake = other.post('Lemon cake, lovely', { hashtags: ['ferncakes'] });
  await waitUntil('the post of the new hashtag', async () => (await items(elsewhere)).some((item) => item.external_id === cake.uri));

  const paused = await pipeline.api('PATCH', `/v1/sources/${elsewhere}`, { paused: true });
  expect(paused.status).toBe(200);
  await waitUntil('the token-less connection to end', async () => other.openNow() === 1, 30_000);
  await waitUntil('its row to go', async () => {
    const rows = await pipeline.db.selectFrom('stream_cursors').select('stream').where('stream', '=', `mastodon:${other.url}`).execute();
    return rows.length === 0;
  });
  // The token's connection to the same instance goes on.
  expect(other.connections.filter((connection) => connection.authorization !== null)).toHaveLength(1);
});
