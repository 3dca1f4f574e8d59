import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import createSession from '../fixtures/bluesky/create-session.json' with { type: 'json' };
import page1 from '../fixtures/bluesky/search-page-1.json' with { type: 'json' };
import page2 from '../fixtures/bluesky/search-page-2.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const PDS = 'https://bsky.social';
const SEARCH = '/xrpc/app.bsky.feed.searchPosts';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const NOW = new Date('2026-03-02T12:30:00Z');
const ONE_DAY_BEFORE = '2026-03-01T12:30:00.000Z';

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { terms: ['Orchard Cafe'], excludeTerms: ['giveaway'] }) {
  return bluesky.parseConfig(config, { identifier: 'earshot-watcher.bsky.social', appPassword: APP_PASSWORD });
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'bluesky', now: NOW });
  return allPages(bluesky.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

function signIn() {
  return nock(PDS)
    .post('/xrpc/com.atproto.server.createSession', { identifier: 'earshot-watcher.bsky.social', password: APP_PASSWORD })
    .reply(200, createSession);
}

function search(query: Record<string, string>, body: object) {
  return nock(PDS)
    .get(SEARCH)
    .matchHeader('authorization', 'Bearer synthetic-access-token')
    .query({ sort: 'latest', limit: '100', ...query })
    .reply(200, body);
}

describe('fetch', () => {
  test('signs in once, pages with the cursor and keeps only real, non-excluded mentions', async () => {
    const session = signIn();
    const first = search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE }, page1);
    const second = search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE, cursor: '100' }, page2);

    const pages = await fetchAll();

    expect([session, first, second].every((scope) => scope.isDone())).toBe(true);
    expect(pages).toHaveLength(2);
    const [wren, grumpy] = pages[0]?.items ?? [];
    expect(pages[0]?.items).toHaveLength(2);
    expect(wren).toEqual({
      externalId: 'at://did:plc:synthwren000000000000001/app.bsky.feed.post/3mabcdefgh2aa',
      kind: 'mention',
      url: 'https://bsky.app/profile/wren.example.com/post/3mabcdefgh2aa',
      author: 'Wren Example',
      rating: null,
      title: null,
      body: 'Lunch at Orchard Cafe was lovely, and the apple tart is a dream.',
      language: 'en',
      publishedAt: new Date('2026-03-02T12:00:00.000Z'),
      updatedAt: null,
      ownerReply: null,
      raw: page1.posts[0],
    });
    // Any case, any spacing; no displayName → the handle; no langs → null.
    expect(grumpy).toMatchObject({ author: 'grumpy.bsky.social', language: null, body: 'ORCHARD   CAFE: rude staff today and cold soup. Never again.' });
    const [quiet, old] = pages[1]?.items ?? [];
    // An unverified handle links by DID instead; an empty displayName falls back too.
    expect(quiet).toMatchObject({
      url: 'https://bsky.app/profile/did:plc:synthquiet00000000000005/post/3mabcdefgh2ae',
      author: 'handle.invalid',
      language: 'en',
      publishedAt: new Date('2026-03-02T09:15:00.123Z'),
    });
    expect(old?.externalId).toBe('at://did:plc:synthold0000000000000006/app.bsky.feed.post/3mabcdefgh2af');
  });

  test('"apple" does not match "applauded", and a post found by two terms comes once', async () => {
    signIn();
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE }, { posts: page1.posts.slice(0, 2) });
    search({ q: 'apple', since: ONE_DAY_BEFORE }, { posts: page1.posts.slice(0, 2) });

    const pages = await fetchAll(null, settings({ terms: ['Orchard Cafe', 'apple'] }));

    expect(pages).toHaveLength(2);
    expect(pages[0]?.items.map((item) => item.author)).toEqual(['Wren Example']);
    expect(pages[1]?.items).toEqual([]);
  });

  test('excluded terms drop a post however it is written', async () => {
    signIn();
    search({ q: 'orchard cafe', since: ONE_DAY_BEFORE }, { posts: page1.posts });
    const pages = await fetchAll(null, settings({ terms: ['orchard cafe'], excludeTerms: ['GIVEAWAY', 'cold soup'] }));
    expect(pages[0]?.items.map((item) => item.author)).toEqual(['Wren Example']);
  });

  test('searches from the watermark minus ten minutes, and only the last page moves it', async () => {
    signIn();
    search({ q: 'Orchard Cafe', since: '2026-03-02T09:50:00.000Z' }, page1);
    search({ q: 'Orchard Cafe', since: '2026-03-02T09:50:00.000Z', cursor: '100' }, page2);

    const pages = await fetchAll({ since: '2026-03-02T10:00:00.000Z' });

    // A crash after page 1 must not make the next poll skip page 2.
    expect(pages.map((page) => (page.cursor as { since: string }).since)).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T12:00:01.250Z']);
    // Each page's cursor remembers what it and the pages before it reported.
    expect(pages.map((page) => Object.keys((page.cursor as { seen: object }).seen).length)).toEqual([2, 4]);
  });

  test('stops paging once a page reaches back past the search start', async () => {
    signIn();
    const olderThanSince = { cursor: '100', posts: page2.posts };
    search({ q: 'Orchard Cafe', since: '2026-03-02T09:50:00.000Z' }, olderThanSince);
    const pages = await fetchAll({ since: '2026-03-02T10:00:00.000Z' });
    expect(pages).toHaveLength(1);
  });

  test('the watermark never moves back, nor past now', async () => {
    signIn();
    const future = structuredClone(page2);
    for (const post of future.posts) post.indexedAt = '2030-01-01T00:00:00.000Z';
    search({ q: 'Orchard Cafe', since: '2026-03-02T12:10:00.000Z' }, future);
    const [page] = await fetchAll({ since: '2026-03-02T12:20:00.000Z' });
    expect(page?.cursor).toMatchObject({ since: NOW.toISOString() });

    signIn();
    search({ q: 'Orchard Cafe', since: '2026-03-02T12:10:00.000Z' }, page2);
    const [again] = await fetchAll({ since: '2026-03-02T12:20:00.000Z' });
    expect(again?.cursor).toMatchObject({ since: '2026-03-02T12:20:00.000Z' });
  });

  test('nothing found still yields one page, keeping the watermark', async () => {
    signIn();
    search({ q: 'Orchard Cafe', since: '2026-03-02T09:50:00.000Z' }, { posts: [] });
    const pages = await fetchAll({ since: '2026-03-02T10:00:00.000Z' });
    expect(pages).toEqual([{ items: [], cursor: { since: '2026-03-02T10:00:00.000Z', seen: {} } }]);
  });

  test('the overlap read again reports only posts not reported yet', async () => {
    signIn();
    const wrenAndGrumpy = [page1.posts[0]!, page1.posts[3]!];
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE }, { posts: wrenAndGrumpy });
    const [first] = await fetchAll();
    expect(first?.items).toHaveLength(2);
    expect(first?.cursor).toMatchObject({ since: '2026-03-02T12:00:01.250Z' });

    // The next poll searches from ten minutes before the watermark and meets the same two posts, plus a new one.
    const newer = structuredClone(page1.posts[0]!);
    newer.uri = 'at://did:plc:synthwren000000000000001/app.bsky.feed.post/3mabcdefgh2zz';
    newer.indexedAt = '2026-03-02T12:25:00.000Z';
    signIn();
    search({ q: 'Orchard Cafe', since: '2026-03-02T11:50:01.250Z' }, { posts: [newer, ...wrenAndGrumpy] });
    const [second] = await fetchAll(JSON.parse(JSON.stringify(first?.cursor)));
    expect(second?.items.map((item) => item.externalId)).toEqual([newer.uri]);
    expect(second?.cursor).toMatchObject({ since: '2026-03-02T12:25:00.000Z' });
  });

  test('a first poll that crashes after a page resumes from a day back, without reporting that page again', async () => {
    signIn();
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE }, page1);
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE, cursor: '100' }, page2);
    const iterator = bluesky.fetch(settings().config, settings().credentials, null, (ctx = testContext({ platform: 'bluesky', now: NOW })))[Symbol.asyncIterator]();
    const saved = (await iterator.next()).value as { cursor: unknown };
    await iterator.return?.(undefined);
    expect(saved.cursor).toMatchObject({ since: null });

    signIn();
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE }, page1);
    search({ q: 'Orchard Cafe', since: ONE_DAY_BEFORE, cursor: '100' }, page2);
    const pages = await fetchAll(JSON.parse(JSON.stringify(saved.cursor)));
    expect(pages.map((page) => page.items.length)).toEqual([0, 2]);
  });

  test('a cursor from before the memory of reported posts still gives the watermark', async () => {
    signIn();
    search({ q: 'Orchard Cafe', since: '2026-03-02T09:50:00.000Z' }, { posts: page1.posts.slice(0, 1) });
    const [page] = await fetchAll({ since: '2026-03-02T10:00:00.000Z' });
    expect(page?.items).toHaveLength(1);
  });
});

describe('errors', () => {
  test('a refused app password is a config error that never shows the password', async () => {
    nock(PDS)
      .post('/xrpc/com.atproto.server.createSession')
      .reply(401, { error: 'AuthenticationRequired', message: `Invalid identifier or password (${APP_PASSWORD})` });
    const error = await connectorFailure(fetchAll());
    expect(error.kind).toBe('config');
    expect(error.message).toContain('AuthenticationRequired: Invalid identifier or password');
    expect(error.message).toContain('app password');
    expect(error.message).not.toContain(APP_PASSWORD);
  });

  test('an expired token during search is a config error', async () => {
    signIn();
    nock(PDS).get(SEARCH).query(true).reply(401, { error: 'ExpiredToken', message: 'Token has expired' });
    expect(await connectorFailure(fetchAll())).toMatchObject({ kind: 'config', status: 401 });
  });

  test('429 carries the wait from RateLimit-Reset (epoch seconds)', async () => {
    signIn();
    const reset = NOW.getTime() / 1000 + 90;
    nock(PDS).get(SEARCH).query(true).reply(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'RateLimit-Reset': String(reset) });
    const error = await connectorFailure(fetchAll());
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 90_000 });
  });

  test('502 from the PDS is transient', async () => {
    signIn();
    nock(PDS).get(SEARCH).query(true).reply(502, 'Bad Gateway');
    expect(await connectorFailure(fetchAll())).toMatchObject({ kind: 'transient', status: 502 });
  });

  test.each([
    ['posts not a list', { posts: 'none' }, '"posts" is not a list'],
    ['a post without uri', { posts: [{ record: { text: 'Orchard Cafe' } }] }, 'post 0 has no at:// "uri"'],
    ['a post without record', { posts: [{ uri: 'at://did:plc:x/app.bsky.feed.post/y' }] }, 'post 0 has no "record"'],
    ['a numeric cursor', { cursor: 25, posts: [] }, '"cursor" is not a string'],
  ])('%s is bad_payload with the body kept', async (_case, body, message) => {
    signIn();
    nock(PDS).get(SEARCH).query(true).reply(200, body);
    const error = await connectorFailure(fetchAll());
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain(message);
    expect(JSON.parse(error.payload ?? 'null')).toEqual(body);
  });

  test('a sign-in reply without a token is bad_payload that keeps no token', async () => {
    nock(PDS).post('/xrpc/com.atproto.server.createSession').reply(200, { refreshJwt: 'secret-refresh', did: 'did:plc:x' });
    const error = await connectorFailure(fetchAll());
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).not.toContain('secret-refresh');
  });
});

describe('check and parseConfig', () => {
  test('check signs in', async () => {
    const session = signIn();
    ctx = testContext({ platform: 'bluesky' });
    const parsed = settings();
    await bluesky.check(parsed.config, parsed.credentials, ctx);
    expect(session.isDone()).toBe(true);
  });

  test('terms are trimmed and deduplicated; excludeTerms is optional', () => {
    expect(settings({ terms: [' Orchard Cafe ', 'Orchard Cafe', ''] }).config).toEqual({
      terms: ['Orchard Cafe'],
      excludeTerms: [],
      baseUrl: 'https://bsky.social',
    });
  });

  test.each([
    [{}, 'config.terms is required'],
    [{ terms: [] }, 'config.terms must have at least one entry'],
    [{ terms: ['  '] }, 'config.terms must have at least one entry'],
    [{ terms: 'Orchard Cafe' }, 'config.terms must be a list of strings'],
    [{ terms: ['x'], excludeTerms: [1] }, 'config.excludeTerms must be a list of strings'],
  ])('%j → %s', (config, message) => {
    expect(() => settings(config)).toThrow(message);
  });

  test('credentials are required', () => {
    expect(() => bluesky.parseConfig({ terms: ['x'] }, { identifier: 'me.bsky.social' })).toThrow('credentials.appPassword is required');
  });
});
