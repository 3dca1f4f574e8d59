import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { hackerNews } from '../../connectors/hackernews/index.ts';
import page1 from '../fixtures/hackernews/search-page-1.json' with { type: 'json' };
import page2 from '../fixtures/hackernews/search-page-2.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const ALGOLIA = 'https://hn.algolia.com';
const SEARCH = '/api/v1/search_by_date';
const NOW = new Date('2026-03-02T12:30:00Z');
const NOW_S = NOW.getTime() / 1000;

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { terms: ['Quillby'], excludeTerms: ['giveaway'] }) {
  return hackerNews.parseConfig(config, {});
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'hackernews', now: NOW });
  return allPages(hackerNews.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

function search(query: Record<string, string>, body: object) {
  return nock(ALGOLIA)
    .get(SEARCH)
    .query({ tags: '(story,comment)', hitsPerPage: '100', ...query })
    .reply(200, body);
}

function hit(id: number, createdAtS: number, text: string) {
  return { objectID: String(id), created_at_i: createdAtS, created_at: new Date(createdAtS * 1000).toISOString(), author: 'synth', comment_text: text, story_title: 'A story', _tags: ['comment'] };
}

describe('fetch', () => {
  test('first poll looks back a day, pages to nbPages and keeps only real, non-excluded mentions', async () => {
    const since = String(NOW_S - 24 * 3600);
    const first = search({ query: 'Quillby', numericFilters: `created_at_i>${since}`, page: '0' }, page1);
    const second = search({ query: 'Quillby', numericFilters: `created_at_i>${since}`, page: '1' }, page2);

    const pages = await fetchAll();

    expect(first.isDone() && second.isDone()).toBe(true);
    expect(pages).toHaveLength(2);
    const [story, comment] = pages[0]!.items;
    // "Quillbyte" is Algolia's prefix match, not a mention.
    expect(pages[0]!.items).toHaveLength(2);
    expect(story).toEqual({
      externalId: '41000001',
      kind: 'mention',
      url: 'https://news.ycombinator.com/item?id=41000001',
      author: 'synth_maker',
      rating: null,
      title: 'Show HN: I rebuilt the ordering system for Quillby Coffee',
      // A link story has no text of its own: its link is the body.
      body: 'https://blog.example.test/quillby-ordering',
      language: null,
      publishedAt: new Date('2026-03-02T12:10:00Z'),
      updatedAt: null,
      ownerReply: null,
      raw: page1.hits[0],
    });
    expect(comment).toMatchObject({
      externalId: '41000002',
      url: 'https://news.ycombinator.com/item?id=41000002',
      title: 'Re: Show HN: I rebuilt the ordering system for Quillby Coffee',
      body: "Honestly Quillby's app lost my order twice.\n\nSupport never answered & the refund took a month: https://example.test/receipt",
      publishedAt: new Date('2026-03-02T11:58:00Z'),
    });
    // The Ask HN with "giveaway" is excluded; the other one's HTML text is decoded.
    expect(pages[1]!.items.map((item) => [item.externalId, item.body])).toEqual([['41000005', 'Quillby Coffee keeps coming up — is it any good?']]);
    // Only the last page advances the watermark: to the newest hit read.
    expect(pages[0]!.cursor).toMatchObject({ since: null });
    expect(pages[1]!.cursor).toMatchObject({ since: '2026-03-02T12:10:00.000Z' });
  });

  test('a later poll searches from the watermark minus ten minutes and does not report the overlap again', async () => {
    search({ query: 'Quillby', numericFilters: `created_at_i>${NOW_S - 24 * 3600}`, page: '0' }, { ...page1, nbPages: 1 });
    const [firstPoll] = await fetchAll();
    await ctx.http.close();

    const newer = { ...hit(41000009, 1772453900, 'Quillby fixed the app, well done'), comment_text: 'Quillby fixed the app, well done' };
    const overlap = search(
      { query: 'Quillby', numericFilters: `created_at_i>${1772453400 - 600}`, page: '0' },
      { ...page1, hits: [newer, ...page1.hits], nbPages: 1 },
    );
    const pages = await fetchAll(firstPoll!.cursor);

    expect(overlap.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items).map((item) => item.externalId)).toEqual(['41000009']);
    expect(pages.at(-1)!.cursor).toMatchObject({ since: new Date(1772453900 * 1000).toISOString() });
  });

  test('a hit found by two terms is one item', async () => {
    const both = hit(41000020, NOW_S - 60, 'Quillby and Larkspur Bakery share a wall');
    search({ query: 'Quillby', numericFilters: `created_at_i>${NOW_S - 24 * 3600}`, page: '0' }, { hits: [both], nbHits: 1, nbPages: 1 });
    search({ query: 'Larkspur', numericFilters: `created_at_i>${NOW_S - 24 * 3600}`, page: '0' }, { hits: [both], nbHits: 1, nbPages: 1 });

    const pages = await fetchAll(null, settings({ terms: ['Quillby', 'Larkspur'] }));

    expect(pages.flatMap((page) => page.items).map((item) => item.externalId)).toEqual(['41000020']);
  });

  test('past the ~1000 hits Algolia serves per query, it continues in a window ending at the oldest hit reached', async () => {
    const since = NOW_S - 24 * 3600;
    const newest = Array.from({ length: 100 }, (_, index) => hit(42000000 + index, NOW_S - 60 - index * 60, `Quillby mention ${index}`));
    const oldestReached = newest.at(-1)!.created_at_i;
    const older = [hit(41999999, oldestReached - 60, 'An older Quillby mention')];
    search({ query: 'Quillby', numericFilters: `created_at_i>${since}`, page: '0' }, { hits: newest, nbHits: 101, nbPages: 1 });
    const window = search({ query: 'Quillby', numericFilters: `created_at_i>${since},created_at_i<=${oldestReached}`, page: '0' }, {
      hits: [newest.at(-1), ...older],
      nbHits: 2,
      nbPages: 1,
    });

    const items = (await fetchAll()).flatMap((page) => page.items);

    expect(window.isDone()).toBe(true);
    expect(items).toHaveLength(101);
    expect(items.at(-1)!.externalId).toBe('41999999');
  });

  test('a response without hits is a bad payload, kept for inspection', async () => {
    search({ query: 'Quillby', numericFilters: `created_at_i>${NOW_S - 24 * 3600}`, page: '0' }, { message: 'unexpected', nbPages: 1 });

    const error = await connectorFailure(fetchAll());

    expect(error.kind).toBe('bad_payload');
    expect(error.payload).toContain('unexpected');
  });
});

describe('settings and check', () => {
  test('terms are required and unknown fields refused', () => {
    expect(() => settings({})).toThrow('config.terms is required');
    expect(() => settings({ terms: ['x'], apiKey: 'nope' })).toThrow('config.apiKey is not a known setting');
    expect(settings({ terms: ['x'], baseUrl: 'https://hn.example.test/' }).config.baseUrl).toBe('https://hn.example.test');
  });

  test('check makes one search of one hit', async () => {
    const scope = nock(ALGOLIA).get(SEARCH).query({ query: 'Quillby', tags: '(story,comment)', hitsPerPage: '1' }).reply(200, { ...page1, hits: [] });
    ctx = testContext({ platform: 'hackernews', now: NOW });
    const parsed = settings();
    await hackerNews.check(parsed.config, parsed.credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});
