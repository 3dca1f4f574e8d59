import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { jetstream, REWIND_US, subscribeUrl } from '../../connectors/bluesky/jetstream.ts';
import { readJetstreamEvent, type JetstreamEvent } from '../../connectors/bluesky/jetstream-event.ts';
import { postToItem, type PostView } from '../../connectors/bluesky/post-view.ts';
import { StreamError, type StreamEvent } from '../../connectors/stream-contract.ts';
import page1 from '../fixtures/bluesky/search-page-1.json' with { type: 'json' };

const log = pino({ level: 'silent' });
const DID = 'did:plc:synthstream00000000000001';
const TIME_US = 1_780_000_000_123_456;

function message(operation: 'create' | 'update' | 'delete', rkey: string, text?: string, timeUs = TIME_US): string {
  const record = text === undefined ? {} : { record: { $type: 'app.bsky.feed.post', text, createdAt: '2026-03-02T12:00:00.000Z', langs: ['en'] }, cid: `bafyrei${rkey}` };
  return JSON.stringify({ did: DID, time_us: timeUs, kind: 'commit', commit: { rev: `rev${rkey}`, operation, collection: 'app.bsky.feed.post', rkey, ...record } });
}

function events(...messages: string[]): StreamEvent<JetstreamEvent>[] {
  return messages.map((text) => {
    const event = readJetstreamEvent(text);
    return { cursor: event.timeUs, announcedAt: new Date(event.timeUs / 1000), payload: event };
  });
}

const sources = [
  { id: 'orchard', config: { terms: ['Orchard Cafe'], excludeTerms: ['giveaway'], baseUrl: 'https://bsky.social' } },
  { id: 'apple', config: { terms: ['apple'], excludeTerms: [], baseUrl: 'https://bsky.social' } },
];

describe('matching events against the sources’ terms', () => {
  const watched = jetstream.watch(sources, log);

  test('a post naming a term as whole words, in any case, is an item of that source only', () => {
    const delivery = jetstream.route(events(message('create', '3maa', 'ORCHARD   cafe: cold soup and a rude waiter')), watched);
    expect(delivery.removed).toEqual([]);
    expect(delivery.items.map((entry) => entry.sourceId)).toEqual(['orchard']);
    expect(delivery.items[0]?.item).toMatchObject({
      externalId: `at://${DID}/app.bsky.feed.post/3maa`,
      kind: 'mention',
      url: `https://bsky.app/profile/${DID}/post/3maa`,
      author: null,
      rating: null,
      body: 'ORCHARD   cafe: cold soup and a rude waiter',
      language: 'en',
      publishedAt: new Date('2026-03-02T12:00:00.000Z'),
    });
  });

  test('a loose match, an excluded word or no term at all is ignored', () => {
    const delivery = jetstream.route(
      events(
        message('create', '3mab', 'Everyone applauded the Orchard Cafeteria'),
        message('create', '3mac', 'Orchard Cafe giveaway today!'),
        message('create', '3mad', 'nothing to see here'),
      ),
      watched,
    );
    expect(delivery).toEqual({ items: [], removed: [] });
  });

  test('a post naming two sources’ terms is an item of each', () => {
    const delivery = jetstream.route(events(message('create', '3mae', 'The apple tart at Orchard Cafe')), watched);
    expect(delivery.items.map((entry) => entry.sourceId).sort()).toEqual(['apple', 'orchard']);
  });

  test('an update is the same post again (a revision when stored); a delete is a removal for whoever holds it', () => {
    const delivery = jetstream.route(events(message('update', '3maf', 'Orchard Cafe, edited'), message('delete', '3mag')), watched);
    expect(delivery.items).toMatchObject([{ sourceId: 'orchard', item: { externalId: `at://${DID}/app.bsky.feed.post/3maf`, body: 'Orchard Cafe, edited' } }]);
    expect(delivery.removed).toEqual([`at://${DID}/app.bsky.feed.post/3mag`]);
  });

  test('identity events and other collections only move the cursor', () => {
    const identity = JSON.stringify({ did: DID, time_us: TIME_US, kind: 'identity', identity: { did: DID, handle: 'x.bsky.social', seq: 1, time: '2026-03-02T12:00:00Z' } });
    const like = JSON.stringify({ did: DID, time_us: TIME_US, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.like', rkey: 'k', record: {} } });
    expect(readJetstreamEvent(identity)).toEqual({ did: DID, timeUs: TIME_US, post: null });
    expect(readJetstreamEvent(like).post).toBeNull();
    expect(jetstream.route(events(identity, like), watched)).toEqual({ items: [], removed: [] });
  });

  test('a source whose stored config no longer reads is left out, the others still match', () => {
    const mixed = jetstream.watch([{ id: 'broken', config: { terms: 'not a list' } }, sources[0]!], log);
    expect(jetstream.route(events(message('create', '3mah', 'Orchard Cafe again')), mixed).items.map((entry) => entry.sourceId)).toEqual(['orchard']);
  });
});

test('a streamed post is the item the search poll makes of it: same id, text, language and date', () => {
  const post = page1.posts[0] as unknown as PostView;
  const [, did, , rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(post.uri) ?? [];
  const streamed = jetstream.route(
    events(JSON.stringify({ did, time_us: TIME_US, kind: 'commit', commit: { rev: 'r1', operation: 'create', collection: 'app.bsky.feed.post', rkey, record: post.record, cid: post.cid } })),
    jetstream.watch(sources, log),
  );
  const polled = postToItem(post);
  const item = streamed.items.find((entry) => entry.sourceId === 'orchard')?.item;
  expect(item).toMatchObject({ externalId: polled.externalId, kind: polled.kind, body: polled.body, language: polled.language, publishedAt: polled.publishedAt, rating: null, title: null });
  // What a reply needs from the stored post view, and the moment Jetstream announced it.
  expect(item?.raw).toMatchObject({ uri: post.uri, cid: post.cid, record: post.record, jetstream: { timeUs: TIME_US, operation: 'create' } });
});

test('unreadable events are refused as bad payloads', () => {
  for (const text of ['not json', '[]', '{"time_us": 1}', JSON.stringify({ did: DID, time_us: 'soon', kind: 'commit' }), message('create', '3mai').replace('"rkey":"3mai"', '"rkey":""')]) {
    expect(() => readJetstreamEvent(text)).toThrow(StreamError);
  }
  expect(() => readJetstreamEvent(JSON.stringify({ did: DID, time_us: TIME_US, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'k' } }))).toThrow(/without "record"/);
});

test('the subscription asks for posts, resuming 5 s before the cursor', () => {
  expect(subscribeUrl('wss://jetstream.example/', null)).toBe('wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post');
  expect(subscribeUrl('ws://127.0.0.1:9000', TIME_US)).toBe(`ws://127.0.0.1:9000/subscribe?wantedCollections=app.bsky.feed.post&cursor=${TIME_US - REWIND_US}`);
  expect(REWIND_US).toBeLessThanOrEqual(5_000_000);
});
