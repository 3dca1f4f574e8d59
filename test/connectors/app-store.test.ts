import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { appStore } from '../../connectors/app-store/index.ts';
import { readXmlFeed } from '../../connectors/app-store/feed-xml.ts';
import emptyFeed from '../fixtures/app-store/empty-feed.json' with { type: 'json' };
import gbSingle from '../fixtures/app-store/gb-single-entry.json' with { type: 'json' };
import usPage1 from '../fixtures/app-store/us-page-1.json' with { type: 'json' };
import usPage2 from '../fixtures/app-store/us-page-2.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const APPLE = 'https://itunes.apple.com';
const APP_ID = '1234500001';
const NOW = new Date('2026-03-02T12:30:00Z');
const xml = (name: string) => readFileSync(new URL(`../fixtures/app-store/${name}`, import.meta.url), 'utf8');
const feedPath = (country: string, page: number, format: 'json' | 'xml') =>
  `/${country}/rss/customerreviews/page=${page}/id=${APP_ID}/sortby=mostrecent/${format}`;

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown> = { appId: APP_ID, countries: ['us', 'gb'] }) {
  return appStore.parseConfig(config, {});
}

function fetchAll(cursor: unknown = null, parsed = settings()) {
  ctx = testContext({ platform: 'app_store', now: NOW });
  return allPages(appStore.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

describe('parseConfig', () => {
  test('defaults to the US storefront and the real feed host', () => {
    expect(settings({ appId: APP_ID }).config).toEqual({ appId: APP_ID, countries: ['us'], baseUrl: APPLE, connectBaseUrl: 'https://api.appstoreconnect.apple.com' });
  });

  test('takes "id…" as pasted from the app URL, and country codes in any case', () => {
    expect(settings({ appId: 'id1234500001', countries: ['GB', 'us', 'gb'] }).config).toMatchObject({ appId: APP_ID, countries: ['gb', 'us'] });
  });

  test.each([
    [{ appId: 'pebble-budget' }, 'config.appId must be the numeric App Store id'],
    [{ appId: APP_ID, countries: ['usa'] }, 'config.countries has "usa"'],
    [{ appId: APP_ID, countries: 'us' }, 'config.countries must be a list of strings'],
    [{}, 'config.appId is required'],
    [{ appId: APP_ID, country: ['us'] }, 'config.country is not a known setting'],
  ])('refuses %j', (config, message) => {
    expect(() => settings(config)).toThrow(message);
  });

  test('reading needs no credentials; only replies ask for an App Store Connect key', () => {
    expect(Object.values(appStore.credentialsSchema).every((field) => !field.required)).toBe(true);
    expect(() => appStore.parseConfig({ appId: APP_ID }, { apiKey: 'x' })).toThrow('credentials.apiKey is not a known setting');
  });
});

describe('fetch', () => {
  test('first poll: every page of every storefront, dates from the XML feed when the JSON has none', async () => {
    const scopes = [
      nock(APPLE).get(feedPath('us', 1, 'json')).reply(200, usPage1),
      nock(APPLE).get(feedPath('us', 1, 'xml')).reply(200, xml('us-page-1.xml'), { 'content-type': 'text/xml; charset=UTF-8' }),
      nock(APPLE).get(feedPath('us', 2, 'json')).reply(200, usPage2),
      nock(APPLE).get(feedPath('us', 2, 'xml')).reply(200, xml('us-page-2.xml')),
      // One review: `entry` is an object, and this feed dates its entries itself (no XML request).
      nock(APPLE).get(feedPath('gb', 1, 'json')).reply(200, gbSingle),
    ];

    const pages = await fetchAll();

    expect(scopes.every((scope) => scope.isDone())).toBe(true);
    expect(pages).toHaveLength(3);
    const [lost, nice, cafe] = pages[0]!.items;
    // The app-metadata entry is skipped.
    expect(pages[0]!.items).toHaveLength(3);
    expect(lost).toEqual({
      externalId: '11000000003',
      kind: 'review',
      url: `https://apps.apple.com/us/app/id${APP_ID}?see-all=reviews`,
      author: 'Maple Tern',
      rating: 1,
      title: 'Lost my budget after the update',
      body: 'Opened the app today and every category I set up last month was gone.\nSupport has not answered in three days.',
      language: null,
      publishedAt: new Date('2026-03-02T10:20:00Z'),
      updatedAt: new Date('2026-03-02T10:20:00Z'),
      ownerReply: null,
      raw: { storefront: 'us', appVersion: '2.4.1', entry: usPage1.feed.entry[1] },
    });
    expect(nice).toMatchObject({ rating: 4, title: 'Nice & simple', publishedAt: new Date('2026-03-02T05:05:30Z') });
    expect(cafe).toMatchObject({ rating: 5, title: 'Café receipts, sorted', publishedAt: new Date('2026-02-27T15:00:00Z') });
    expect(pages[1]!.items.map((item) => [item.externalId, item.rating])).toEqual([['10999999990', 3]]);
    expect(pages[2]!.items).toEqual([
      expect.objectContaining({
        externalId: '11000000010',
        url: `https://apps.apple.com/gb/app/id${APP_ID}?see-all=reviews`,
        rating: 2,
        title: 'Crashes on "Export"',
        body: 'Export to CSV crashes every time <sigh>.',
        publishedAt: new Date('2026-03-02T17:15:00Z'),
      }),
    ]);
    // A storefront's watermark only moves with its last page; the memory moves with every page.
    expect(pages[0]!.cursor).toMatchObject({ storefronts: {} });
    expect(Object.keys((pages[0]!.cursor as { seen: object }).seen)).toHaveLength(3);
    expect(pages[1]!.cursor).toMatchObject({ storefronts: { us: '2026-03-02T10:20:00.000Z' } });
    // Never past the poll's own clock.
    expect(pages[2]!.cursor).toMatchObject({ storefronts: { us: '2026-03-02T10:20:00.000Z', gb: NOW.toISOString() } });
  });

  test('later polls stop at the watermark and report only new or edited reviews', async () => {
    nock(APPLE).get(feedPath('us', 1, 'json')).reply(200, usPage1);
    nock(APPLE).get(feedPath('us', 1, 'xml')).reply(200, xml('us-page-1.xml'));
    nock(APPLE).get(feedPath('us', 2, 'json')).reply(200, usPage2);
    nock(APPLE).get(feedPath('us', 2, 'xml')).reply(200, xml('us-page-2.xml'));
    const first = await fetchAll(null, settings({ appId: APP_ID }));
    await ctx.http.close();

    // Since then: one new review, and Maple Tern edited theirs (same id, later time, new words and stars).
    const edited = structuredClone(usPage1) as { feed: { entry: Array<Record<string, unknown>> } };
    const [appEntry, mapleEntry, ...rest] = edited.feed.entry;
    const maple = {
      ...mapleEntry,
      updated: { label: '2026-03-02T04:00:00-07:00' },
      'im:rating': { label: '3' },
      content: { label: 'Support restored my categories. Still nervous about updates.', attributes: { type: 'text' } },
    };
    const fresh = { ...mapleEntry, id: { label: '11000000004' }, updated: { label: '2026-03-02T05:00:00-07:00' } };
    const datedRest = rest.map((entry, index) => ({ ...entry, updated: { label: ['2026-03-01T22:05:30-07:00', '2026-02-27T08:00:00-07:00'][index]! } }));
    edited.feed.entry = [appEntry!, fresh, maple, ...datedRest];
    const page1 = nock(APPLE).get(feedPath('us', 1, 'json')).reply(200, edited);

    const pages = await fetchAll(lastCursor(first), settings({ appId: APP_ID }));

    // Page 1 already reaches back past the watermark: page 2 is not read again.
    expect(page1.isDone()).toBe(true);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items.map((item) => [item.externalId, item.rating, item.updatedAt?.toISOString()])).toEqual([
      ['11000000004', 1, '2026-03-02T12:00:00.000Z'],
      ['11000000003', 3, '2026-03-02T11:00:00.000Z'],
    ]);
    expect(pages[0]!.cursor).toMatchObject({ storefronts: { us: '2026-03-02T12:00:00.000Z' } });
  });

  test('a storefront without reviews is an empty page and no watermark', async () => {
    nock(APPLE).get(feedPath('de', 1, 'json')).reply(200, emptyFeed);
    const pages = await fetchAll(null, settings({ appId: APP_ID, countries: ['de'] }));
    expect(pages).toEqual([{ items: [], cursor: { storefronts: {}, seen: {} } }]);
  });
});

function lastCursor(pages: Array<{ cursor: unknown }>): unknown {
  return pages.at(-1)!.cursor;
}

describe('errors', () => {
  test('403 is Apple shedding load: transient, not the owner\'s settings', async () => {
    nock(APPLE).get(feedPath('us', 1, 'json')).reply(403, '<html>Forbidden</html>');
    const error = await connectorFailure(fetchAll(null, settings({ appId: APP_ID })));
    expect(error).toMatchObject({ kind: 'transient', status: 403 });
  });

  test('404 means the settings are wrong', async () => {
    nock(APPLE).get(feedPath('zz', 1, 'json')).reply(404, 'Not Found');
    const error = await connectorFailure(fetchAll(null, settings({ appId: APP_ID, countries: ['zz'] })));
    expect(error).toMatchObject({ kind: 'config', status: 404 });
  });

  test('503 is transient', async () => {
    nock(APPLE).get(feedPath('us', 1, 'json')).reply(503, 'busy');
    expect(await connectorFailure(fetchAll(null, settings({ appId: APP_ID })))).toMatchObject({ kind: 'transient' });
  });

  test('a feed of the wrong shape is a bad payload, kept for inspection', async () => {
    nock(APPLE).get(feedPath('us', 1, 'json')).reply(200, { feed: [] });
    const error = await connectorFailure(fetchAll(null, settings({ appId: APP_ID })));
    expect(error).toMatchObject({ kind: 'bad_payload', payload: '{"feed":[]}' });
  });

  test('a review entry without an id is a bad payload', async () => {
    const broken = structuredClone(gbSingle) as { feed: { entry: Record<string, unknown> } };
    delete broken.feed.entry.id;
    nock(APPLE).get(feedPath('gb', 1, 'json')).reply(200, broken);
    const error = await connectorFailure(fetchAll(null, settings({ appId: APP_ID, countries: ['gb'] })));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain('review entry 0 has no id');
  });

  test('an XML answer that is not a feed is a bad payload', async () => {
    nock(APPLE).get(feedPath('us', 1, 'json')).reply(200, usPage1);
    nock(APPLE).get(feedPath('us', 1, 'xml')).reply(200, '<html><body>Service Unavailable</body></html>');
    const error = await connectorFailure(fetchAll(null, settings({ appId: APP_ID })));
    expect(error).toMatchObject({ kind: 'bad_payload' });
    expect(error.payload).toContain('Service Unavailable');
  });
});

describe('check', () => {
  test('reads the first page of the first storefront', async () => {
    const scope = nock(APPLE).get(feedPath('gb', 1, 'json')).reply(200, gbSingle);
    ctx = testContext({ platform: 'app_store', now: NOW });
    const { config, credentials } = settings({ appId: APP_ID, countries: ['gb', 'us'] });
    await appStore.check(config, credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});

describe('readXmlFeed', () => {
  test('decodes entity, character and CDATA text, skips comments and the app entry, and finds the last page', () => {
    const feed = readXmlFeed(xml('us-page-1.xml'), 'test');
    expect(feed.lastPage).toBe(2);
    expect(feed.reviews.map((review) => [review.id, review.title, review.body, review.author, review.version, review.updated?.toISOString()])).toEqual([
      [
        '11000000003',
        'Lost my budget after the update',
        'Opened the app today and every category I set up last month was gone.\nSupport has not answered in three days.',
        'Maple Tern',
        '2.4.1',
        '2026-03-02T10:20:00.000Z',
      ],
      ['11000000002', 'Nice & simple', 'Does what I need. Would love a dark mode for late-night number crunching.', 'quietcounter', '2.4.1', '2026-03-02T05:05:30.000Z'],
      ['11000000001', 'Café receipts, sorted', 'Scanning receipts from my café works every time.', 'Ada Synthwaite', '2.4.0', '2026-02-27T15:00:00.000Z'],
    ]);
  });

  test('leaves unknown or invalid references as written', () => {
    const text = `<feed><entry><id>1</id><im:rating>2</im:rating><title>a &nbsp; &#0; &#x1F600; &lt;b&gt;</title><content type='text'/></entry></feed>`;
    expect(readXmlFeed(text, 'test').reviews[0]).toMatchObject({ title: 'a &nbsp; &#0; 😀 <b>', body: '', rating: 2, author: null });
  });
});
