import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { mastodon } from '../../connectors/mastodon/index.ts';
import { statusToItem, type Status } from '../../connectors/mastodon/status.ts';
import { announcedStreamingBase, connectionKey, mastodonStream, streamingUrl, subscribeMessages, type MastodonStreamPayload } from '../../connectors/mastodon/stream.ts';
import { readStreamMessage } from '../../connectors/mastodon/stream-event.ts';
import { StreamError, type StreamEvent } from '../../connectors/stream-contract.ts';
import timeline from '../fixtures/mastodon/tag-timeline.json' with { type: 'json' };

const log = pino({ level: 'silent' });

/** Stored as the API stores it: the connector's parsed config. */
function source(id: string, config: Record<string, unknown>) {
  return { id, config: { ...mastodon.parseConfig(config, {}).config } as unknown as Record<string, unknown> };
}

const sources = [
  source('quillby', { instanceUrl: 'https://mastodon.synth.test', hashtags: ['#QuillbyCoffee'], terms: ['Quillby Coffee'], excludeTerms: ['giveaway'] }),
  source('brunch', { instanceUrl: 'https://mastodon.synth.test', hashtags: ['brunch'] }),
  source('sandbox', { instanceUrl: 'https://mastodon.synth.test', baseUrl: 'http://sandbox.synth.test:8080', hashtags: ['quillbycoffee'] }),
];

function status(content: string, tags: string[] = [], id = '200'): Status {
  return {
    id,
    uri: `https://mastodon.synth.test/users/fern/statuses/${id}`,
    url: `https://mastodon.synth.test/@fern/${id}`,
    created_at: '2026-03-02T12:00:00.000Z',
    edited_at: null,
    content: `<p>${content}</p>`,
    spoiler_text: '',
    account: { acct: 'fern', display_name: 'Fern' },
    tags: tags.map((name) => ({ name, url: `https://mastodon.synth.test/tags/${name}` })),
  };
}

function frame(event: string, payload: unknown, stream: string[] = ['public']): string {
  return JSON.stringify({ stream, event, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

function events(...payloads: MastodonStreamPayload[]): StreamEvent<MastodonStreamPayload>[] {
  return payloads.map((payload) => ({ cursor: null, announcedAt: new Date('2026-03-02T12:00:00Z'), payload }));
}

describe('connections', () => {
  test('one per instance the sources send requests to, subscribed to each hashtag once and to the public timeline for terms', () => {
    expect(mastodonStream.connections?.(sources, log)).toEqual([
      {
        key: 'https://mastodon.synth.test',
        endpoint: 'https://mastodon.synth.test',
        subscription: { hashtags: ['brunch', 'quillbycoffee'], public: true },
        sourceIds: ['quillby', 'brunch'],
      },
      { key: 'http://sandbox.synth.test:8080', endpoint: 'http://sandbox.synth.test:8080', subscription: { hashtags: ['quillbycoffee'], public: false }, sourceIds: ['sandbox'] },
    ]);
  });

  test('a source whose stored config no longer reads is left to its poll', () => {
    expect(mastodonStream.connections?.([{ id: 'broken', config: { hashtags: ['x'] } }, sources[1]!], log).map((c) => c.sourceIds)).toEqual([['brunch']]);
  });

  test('the streaming URL and the subscribe messages', () => {
    expect(streamingUrl('https://mastodon.synth.test/')).toBe('wss://mastodon.synth.test/api/v1/streaming');
    expect(streamingUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/api/v1/streaming');
    expect(streamingUrl('wss://streaming.synth.test')).toBe('wss://streaming.synth.test/api/v1/streaming');
    expect(streamingUrl('ws://127.0.0.1:9000')).toBe('ws://127.0.0.1:9000/api/v1/streaming');
    expect(subscribeMessages({ hashtags: ['brunch', 'quillbycoffee'], public: true }).map((text) => JSON.parse(text))).toEqual([
      { type: 'subscribe', stream: 'hashtag', tag: 'brunch' },
      { type: 'subscribe', stream: 'hashtag', tag: 'quillbycoffee' },
      { type: 'subscribe', stream: 'public' },
    ]);
  });
});

test('where the instance streams: the WebSocket URL its instance document announces, if any', () => {
  expect(announcedStreamingBase({ configuration: { urls: { streaming: 'wss://streaming.synth.test' } } })).toBe('wss://streaming.synth.test');
  expect(announcedStreamingBase({ configuration: { urls: { streaming: 'https://streaming.synth.test' } } })).toBeNull();
  expect(announcedStreamingBase({ configuration: {} })).toBeNull();
  expect(announcedStreamingBase('not an instance')).toBeNull();
});

describe('reading messages', () => {
  test('update and status.update carry a status as a JSON string; delete the status id', () => {
    const fixture = timeline[0] as unknown as Status;
    expect(readStreamMessage(frame('update', fixture, ['hashtag', 'quillbycoffee']))).toEqual({ kind: 'status', edited: false, status: fixture });
    expect(readStreamMessage(frame('status.update', fixture))).toEqual({ kind: 'status', edited: true, status: fixture });
    expect(readStreamMessage(frame('delete', '112233445566778899'))).toEqual({ kind: 'delete', statusId: '112233445566778899' });
    expect(readStreamMessage(frame('notification', { id: '1' }))).toEqual({ kind: 'other' });
    expect(readStreamMessage(JSON.stringify({ error: 'Missing access token', status: 401 }))).toEqual({ kind: 'refused', error: 'Missing access token (401)' });
  });

  test('what cannot be read is a bad payload, skipped', () => {
    for (const text of ['not json', '[1]', frame('update', '{"id":"1"}'), frame('update', 'not json'), JSON.stringify({ event: 'delete' })]) {
      expect(() => readStreamMessage(text)).toThrow(StreamError);
      try {
        readStreamMessage(text);
      } catch (error) {
        expect((error as StreamError).kind).toBe('bad_payload');
      }
    }
  });
});

describe('matching statuses as the poll does', () => {
  const watched = mastodonStream.watch(sources.slice(0, 2), log);

  test('a followed hashtag keeps the post, in any case; a term as whole words keeps it without one', () => {
    const tagged = status('Cold soup again.', ['QuillbyCoffee']);
    const named = status('Went to quillby   COFFEE today, lovely', [], '201');
    const loose = status('Quillby Coffees are elsewhere', [], '202');
    const delivery = mastodonStream.route(events({ kind: 'status', status: tagged }, { kind: 'status', status: named }, { kind: 'status', status: loose }), watched);
    expect(delivery.items.map(({ sourceId, item }) => [sourceId, item.externalId])).toEqual([
      ['quillby', tagged.uri],
      ['quillby', named.uri],
    ]);
    // The same item the poll makes of the same status.
    expect(delivery.items[0]?.item).toEqual(statusToItem(tagged));
  });

  test('an excluded term drops it, even with a followed hashtag; a post of two sources’ hashtags serves both', () => {
    const giveaway = status('Quillby Coffee giveaway!', ['quillbycoffee']);
    const both = status('Brunch at Quillby', ['brunch', 'quillbycoffee'], '203');
    const delivery = mastodonStream.route(events({ kind: 'status', status: giveaway }, { kind: 'status', status: both }), watched);
    expect(delivery.items.map(({ sourceId }) => sourceId)).toEqual(['quillby', 'brunch']);
  });

  test('a boost stands for the post it boosts', () => {
    const boosted = status('Quillby Coffee, burnt beans', [], '204');
    const boost = { ...status('', [], '205'), reblog: boosted };
    const delivery = mastodonStream.route(events({ kind: 'status', status: boost }), watched);
    expect(delivery.items.map(({ item }) => item.externalId)).toEqual([boosted.uri]);
  });

  test('a removal names the uri of a post the connection saw, else the instance’s id of it', () => {
    expect(mastodonStream.route(events({ kind: 'removal', uri: 'https://x.test/s/1' }, { kind: 'removal', statusId: '77' }), watched)).toEqual({
      items: [],
      removed: ['https://x.test/s/1'],
      removedByPayloadId: ['77'],
    });
  });
});

describe('access tokens', () => {
  test('sources of one instance with different tokens get a connection each, named without the token', () => {
    const withToken = (id: string, accessToken: string) => ({ ...source(id, { instanceUrl: 'https://mastodon.synth.test', hashtags: [id] }), credentials: { accessToken } });
    const connections = mastodonStream.connections?.([withToken('one', 'secret-a'), withToken('two', 'secret-b'), withToken('three', 'secret-a'), sources[1]!], log) ?? [];
    expect(connections.map(({ subscription, sourceIds }) => ({ subscription, sourceIds }))).toEqual([
      { subscription: { hashtags: ['one', 'three'], public: false, accessToken: 'secret-a' }, sourceIds: ['one', 'three'] },
      { subscription: { hashtags: ['two'], public: false, accessToken: 'secret-b' }, sourceIds: ['two'] },
      { subscription: { hashtags: ['brunch'], public: false }, sourceIds: ['brunch'] },
    ]);
    expect(connections.map((connection) => connection.key)).toEqual([
      connectionKey('https://mastodon.synth.test', 'secret-a'),
      connectionKey('https://mastodon.synth.test', 'secret-b'),
      'https://mastodon.synth.test',
    ]);
    expect(connections[0]?.key).toMatch(/^[0-9a-f]{12}@https:\/\/mastodon\.synth\.test$/);
    expect(connections[0]?.key).not.toContain('secret');
  });
});
