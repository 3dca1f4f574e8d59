import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { mastodon } from '../../connectors/mastodon/index.ts';
import { linkParam } from '../../connectors/mastodon/link-header.ts';
import search from '../fixtures/mastodon/search.json' with { type: 'json' };
import timeline from '../fixtures/mastodon/tag-timeline.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const INSTANCE = 'https://mastodon.synth.test';
const TAG_PATH = '/api/v1/timelines/tag/quillbycoffee';
const TOKEN = 'synthetic-token-abc123';
const NOW = new Date('2026-03-02T12:30:00Z');

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { instanceUrl: INSTANCE, hashtags: ['#QuillbyCoffee'], excludeTerms: ['giveaway'] }, credentials: Record<string, string> = {}) {
  return mastodon.parseConfig(config, credentials);
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'mastodon', now: NOW });
  return allPages(mastodon.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

const link = (older: string, newer: string) =>
  `<${INSTANCE}${TAG_PATH}?max_id=${older}>; rel="next", <${INSTANCE}${TAG_PATH}?min_id=${newer}>; rel="prev"`;

describe('hashtag timelines', () => {
  test('a first poll reads the newest posts, keeps every post of the hashtag but excluded ones, and notes the min_id', async () => {
    const newest = nock(INSTANCE).get(TAG_PATH).query({ limit: '40' }).reply(200, timeline, { link: link('112233445566770500', 'AbCdEf0123synthPleromaId') });
    const older = nock(INSTANCE).get(TAG_PATH).query({ limit: '40', max_id: '112233445566770500' }).reply(200, []);

    const pages = await fetchAll();

    expect(newest.isDone() && older.isDone()).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      externalId: 'https://pleroma.synth.test/objects/7d1f0c2e-0000-4000-8000-synthetic001',
      kind: 'mention',
      // No url: the global uri links instead.
      url: 'https://pleroma.synth.test/objects/7d1f0c2e-0000-4000-8000-synthetic001',
      author: '@grumble@pleroma.synth.test',
      rating: null,
      title: null,
      body: 'food complaint\n\nCold soup again at #QuillbyCoffee — not impressed.\n\nStaff were kind though <3',
      language: 'en',
      publishedAt: new Date('2026-03-02T12:05:00Z'),
      updatedAt: new Date('2026-03-02T12:20:00Z'),
      ownerReply: null,
      raw: timeline[0],
    });
    // A boost is the boosted post, on its own server.
    expect(items[1]).toMatchObject({
      externalId: 'https://kaffee.synth.test/users/bohne/statuses/1001',
      url: 'https://kaffee.synth.test/@bohne/1001',
      author: 'Bohne ☕',
      body: 'Der Flat White bei #QuillbyCoffee ist großartig!',
      language: 'de',
      publishedAt: new Date('2026-03-02T11:30:00Z'),
      updatedAt: null,
    });
    expect(pages.at(-1)!.cursor).toMatchObject({ tags: { quillbycoffee: 'AbCdEf0123synthPleromaId' } });
  });

  test('a later poll reads on with min_id as the Link header gives it, then re-reads the newest page for edits', async () => {
    nock(INSTANCE).get(TAG_PATH).query({ limit: '40' }).reply(200, timeline, { link: link('112233445566770500', 'AbCdEf0123synthPleromaId') });
    nock(INSTANCE).get(TAG_PATH).query({ limit: '40', max_id: '112233445566770500' }).reply(200, []);
    const first = await fetchAll();
    await ctx.http.close();
    const fresh = { ...search.statuses[0], id: 'AbCdEf0200synthPleromaId' };
    const forward1 = nock(INSTANCE).get(TAG_PATH).query({ limit: '40', min_id: 'AbCdEf0123synthPleromaId' }).reply(200, [fresh], { link: link('AbCdEf0200synthPleromaId', 'AbCdEf0200synthPleromaId') });
    const forward2 = nock(INSTANCE).get(TAG_PATH).query({ limit: '40', min_id: 'AbCdEf0200synthPleromaId' }).reply(200, []);
    const edited = { ...timeline[0], edited_at: '2026-03-02T12:25:00.000Z', content: '<p>Edited: soup was fine after all.</p>' };
    const recheck = nock(INSTANCE).get(TAG_PATH).query({ limit: '40' }).reply(200, [fresh, edited, ...timeline.slice(1)], { link: link('112233445566770500', 'AbCdEf0200synthPleromaId') });
    nock(INSTANCE).get(TAG_PATH).query({ limit: '40', max_id: '112233445566770500' }).reply(200, []);

    const pages = await fetchAll(first.at(-1)!.cursor);

    expect([forward1, forward2, recheck].every((scope) => scope.isDone())).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items.map((item) => [item.externalId, item.updatedAt?.toISOString() ?? null])).toEqual([
      ['https://mastodon.synth.test/users/wren/statuses/112233445566779000', null],
      ['https://pleroma.synth.test/objects/7d1f0c2e-0000-4000-8000-synthetic001', '2026-03-02T12:25:00.000Z'],
    ]);
    expect(items[1]!.body).toBe('food complaint\n\nEdited: soup was fine after all.');
    expect(pages.at(-1)!.cursor).toMatchObject({ tags: { quillbycoffee: 'AbCdEf0200synthPleromaId' } });
  });
});

describe('status search', () => {
  test('sends the token, keeps only real mentions, and reports a post also found by its hashtag once', async () => {
    // Without a Link header, the last status's id pages on.
    nock(INSTANCE).get(TAG_PATH).query({ limit: '40' }).matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, timeline);
    const older = nock(INSTANCE).get(TAG_PATH).query({ limit: '40', max_id: '112233445566770500' }).reply(200, []);
    const searched = nock(INSTANCE)
      .get('/api/v2/search')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .query({ q: 'Quillby Coffee', type: 'statuses', limit: '40' })
      .reply(200, search);
    // The last page of the search window: it reaches posts older than a day.
    nock(INSTANCE)
      .get('/api/v2/search')
      .query({ q: 'Quillby Coffee', type: 'statuses', limit: '40', offset: '3' })
      .reply(200, { accounts: [], statuses: [{ ...search.statuses[0], id: '1', uri: 'https://old.synth.test/1', created_at: '2026-02-01T00:00:00Z' }], hashtags: [] });

    const parsed = settings({ instanceUrl: INSTANCE, hashtags: ['quillbycoffee'], terms: ['Quillby Coffee'], excludeTerms: ['giveaway'] }, { accessToken: TOKEN });
    const pages = await fetchAll(null, parsed);

    expect(searched.isDone() && older.isDone()).toBe(true);
    const ids = pages.flatMap((page) => page.items).map((item) => item.externalId);
    expect(ids).toEqual([
      'https://pleroma.synth.test/objects/7d1f0c2e-0000-4000-8000-synthetic001',
      'https://kaffee.synth.test/users/bohne/statuses/1001',
      'https://mastodon.synth.test/users/wren/statuses/112233445566779000',
    ]);
    expect(pages.at(-1)!.cursor).toMatchObject({ terms: { 'Quillby Coffee': '2026-03-02T12:15:00.000Z' } });
  });

  test('an invalid token is a config error with the instance’s message and no token in it', async () => {
    nock(INSTANCE).get('/api/v1/accounts/verify_credentials').reply(401, { error: 'The access token is invalid' });
    ctx = testContext({ platform: 'mastodon', now: NOW });
    const parsed = settings({ instanceUrl: INSTANCE, terms: ['Quillby'] }, { accessToken: TOKEN });

    const error = await connectorFailure(mastodon.check(parsed.config, parsed.credentials, ctx));

    expect(error.kind).toBe('config');
    expect(error.message).toContain('The access token is invalid');
    expect(error.message).not.toContain(TOKEN);
  });

  test('429 waits until X-RateLimit-Reset, an ISO time', async () => {
    nock(INSTANCE).get(TAG_PATH).query(true).reply(429, { error: 'Too many requests' }, { 'x-ratelimit-reset': '2026-03-02T12:35:00.000Z' });

    const error = await connectorFailure(fetchAll());

    expect([error.kind, error.retryAfterMs]).toEqual(['rate_limited', 5 * 60_000]);
  });

  test('a timeline that is not a list is a bad payload', async () => {
    nock(INSTANCE).get(TAG_PATH).query(true).reply(200, { error: 'unexpected' });
    expect((await connectorFailure(fetchAll())).kind).toBe('bad_payload');
  });
});

describe('settings', () => {
  test('instanceUrl is required, hashtags lose their #, and hashtags or terms are needed', () => {
    expect(() => settings({ hashtags: ['x'] })).toThrow('config.instanceUrl is required');
    expect(() => settings({ instanceUrl: 'ftp://x.test', hashtags: ['x'] })).toThrow('config.instanceUrl must be an http or https URL');
    expect(() => settings({ instanceUrl: INSTANCE })).toThrow('config.hashtags or config.terms');
    expect(() => settings({ instanceUrl: INSTANCE, hashtags: ['two words'] })).toThrow('not a hashtag');
    const { config } = settings({ instanceUrl: `${INSTANCE}/`, hashtags: ['#Quillby', 'quillby'] });
    expect(config).toEqual({ instanceUrl: INSTANCE, baseUrl: INSTANCE, hashtags: ['quillby'], terms: [], excludeTerms: [], replyVisibility: 'public' });
    expect(mastodon.credentialsSchema.accessToken?.secret).toBe(true);
  });

  test('Link headers give their ids; other relations and hosts are ignored', () => {
    const header = '<https://a.test/x?max_id=9>; rel="next", <https://b.test/x?min_id=AQ%2Bz&limit=40>; rel="prev"';
    expect(linkParam(header, 'prev', 'min_id')).toBe('AQ+z');
    expect(linkParam(header, 'next', 'max_id')).toBe('9');
    expect(linkParam('<https://a.test/x?max_id=9>; rel="next"', 'prev', 'min_id')).toBeNull();
    expect(linkParam(undefined, 'prev', 'min_id')).toBeNull();
  });
});
