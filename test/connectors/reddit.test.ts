import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { reddit } from '../../connectors/reddit/index.ts';
import comments from '../fixtures/reddit/subreddit-comments.json' with { type: 'json' };
import searchListing from '../fixtures/reddit/search-listing.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const AUTH = 'https://www.reddit.com';
const API = 'https://oauth.reddit.com';
const CLIENT_ID = 'synthClient42';
const SECRET = 'synthetic-reddit-secret-77';
const NOW = new Date('2026-03-02T12:30:00Z');
const USER_AGENT = 'Earshot/1.0 (self-hosted review monitor)';
const empty = { kind: 'Listing', data: { after: null, dist: 0, children: [], before: null } };

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { terms: ['Quillby Coffee'], excludeTerms: ['giveaway'] }) {
  return reddit.parseConfig(config, { clientId: CLIENT_ID, clientSecret: SECRET });
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'reddit', now: NOW });
  return allPages(reddit.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

function token() {
  return nock(AUTH)
    .post('/api/v1/access_token', 'grant_type=client_credentials')
    .matchHeader('authorization', `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .matchHeader('user-agent', USER_AGENT)
    .reply(200, { access_token: 'synthetic-bearer', token_type: 'bearer', expires_in: 86400, scope: '*' });
}

function listing(path: string, query: Record<string, string>, body: object) {
  return nock(API)
    .get(path)
    .matchHeader('authorization', 'Bearer synthetic-bearer')
    .matchHeader('user-agent', USER_AGENT)
    .query({ limit: '100', raw_json: '1', ...query })
    .reply(200, body, { 'x-ratelimit-remaining': '98.0', 'x-ratelimit-used': '2', 'x-ratelimit-reset': '412' });
}

describe('search', () => {
  test('gets an app-only token, searches newest first, pages with after, and keeps only real mentions', async () => {
    const auth = token();
    const first = listing('/search', { q: 'Quillby Coffee', sort: 'new', type: 'link' }, { ...searchListing, data: { ...searchListing.data, children: searchListing.data.children.slice(0, 2), after: 't3_1j2k5m6' } });
    const second = listing('/search', { q: 'Quillby Coffee', sort: 'new', type: 'link', after: 't3_1j2k5m6' }, { ...searchListing, data: { ...searchListing.data, children: searchListing.data.children.slice(2), after: 't3_1j2k3l4' } });
    const third = listing('/search', { q: 'Quillby Coffee', sort: 'new', type: 'link', after: 't3_1j2k3l4' }, empty);

    const pages = await fetchAll();

    expect([auth, first, second, third].every((scope) => scope.isDone())).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      externalId: 't3_1j2k9z0',
      kind: 'mention',
      url: 'https://www.reddit.com/r/SynthCity/comments/1j2k9z0/bad_morning_at_a_local_cafe/',
      author: 'u/synth_latte_fan',
      rating: null,
      title: 'Bad morning at a local café',
      body: "Tried **Quillby Coffee** on Elm St today.\n\nThe barista was rude & the latte was cold. Won't go back.",
      language: null,
      publishedAt: new Date('2026-03-02T12:00:00Z'),
      updatedAt: new Date(1772453700250),
      ownerReply: null,
      raw: searchListing.data.children[0],
    });
    // A link post: its title mentions the term, its link is the body; a deleted author is unknown.
    expect(items[1]).toMatchObject({ externalId: 't3_1j2k5m6', author: null, title: 'Quillby Coffee opens a second shop', body: 'https://news.synth.test/quillby-second-shop', updatedAt: null });
    expect(pages.at(-1)!.cursor).toMatchObject({ since: '2026-03-02T12:00:00.000Z' });
  });

  test('a later poll reads back a day, reports an edit of a known post, and nothing else twice', async () => {
    token();
    listing('/search', { q: 'Quillby Coffee', sort: 'new', type: 'link' }, { ...searchListing, data: { ...searchListing.data, after: null } });
    const first = await fetchAll();
    await ctx.http.close();

    token();
    const [post, ...rest] = searchListing.data.children;
    const edited = { ...post, data: { ...post!.data, selftext: 'Update: Quillby Coffee apologised and refunded me.', edited: 1772454000 } };
    listing('/search', { q: 'Quillby Coffee', sort: 'new', type: 'link' }, { ...searchListing, data: { ...searchListing.data, children: [edited, ...rest], after: null } });
    const pages = await fetchAll(first.at(-1)!.cursor);

    const items = pages.flatMap((page) => page.items);
    expect(items.map((item) => [item.externalId, item.updatedAt?.toISOString()])).toEqual([['t3_1j2k9z0', '2026-03-02T12:20:00.000Z']]);
  });
});

describe('subreddits', () => {
  test('reads each subreddit’s new posts and comments; comments get a title and a permalink', async () => {
    token();
    const posts = listing('/r/SynthCity/new', {}, empty);
    const newComments = listing('/r/SynthCity/comments', {}, comments);

    const pages = await fetchAll(null, settings({ terms: ['Quillby Coffee'], excludeTerms: ['giveaway'], subreddits: ['r/SynthCity', 'synthcity'] }));

    expect(posts.isDone() && newComments.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items)).toEqual([
      expect.objectContaining({
        externalId: 't1_mq1a2b3',
        // No permalink in the listing: the post's link and the comment id.
        url: 'https://www.reddit.com/r/SynthCity/comments/1j2k9z0/bad_morning_at_a_local_cafe/mq1a2b3/',
        author: 'u/synth_neighbour',
        title: 'Re: Bad morning at a local café',
        body: 'Same at quillby coffee last week. Asked for oat milk, got none.',
        publishedAt: new Date(1772453000 * 1000),
      }),
    ]);
  });
});

describe('errors and settings', () => {
  test('a refused token is a config error that never shows the secret', async () => {
    nock(AUTH).post('/api/v1/access_token').reply(401, { message: 'Unauthorized', error: 401 });
    ctx = testContext({ platform: 'reddit', now: NOW });
    const parsed = settings();

    const error = await connectorFailure(reddit.check(parsed.config, parsed.credentials, ctx));

    expect(error.kind).toBe('config');
    expect(error.message).not.toContain(SECRET);
  });

  test('429 waits the seconds x-ratelimit-reset names', async () => {
    token();
    nock(API).get('/search').query(true).reply(429, { message: 'Too Many Requests', error: 429 }, { 'x-ratelimit-reset': '37' });
    const error = await connectorFailure(fetchAll());
    expect([error.kind, error.retryAfterMs]).toEqual(['rate_limited', 37_000]);
  });

  test('something that is not a Listing is a bad payload', async () => {
    token();
    nock(API).get('/search').query(true).reply(200, [searchListing]);
    expect((await connectorFailure(fetchAll())).kind).toBe('bad_payload');
  });

  test('subreddit names are checked and deduplicated, the r/ prefix dropped', () => {
    expect(settings({ terms: ['x'], subreddits: ['/r/Paris', 'paris', 'r/lyon'] }).config.subreddits).toEqual(['Paris', 'lyon']);
    expect(() => settings({ terms: ['x'], subreddits: ['no spaces'] })).toThrow('not a subreddit name');
    expect(reddit.credentialsSchema.clientSecret?.secret).toBe(true);
  });
});
