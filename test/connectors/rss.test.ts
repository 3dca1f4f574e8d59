import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { unwrapRedirect } from '../../connectors/rss/feed.ts';
import { rss } from '../../connectors/rss/index.ts';
import { parseXml, textContent, XmlError } from '../../connectors/rss/xml.ts';
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const alertFeed = readFileSync(new URL('../fixtures/rss/google-alert.atom.xml', import.meta.url), 'utf8');
const blogFeed = readFileSync(new URL('../fixtures/rss/blog.rss.xml', import.meta.url), 'utf8');
const ALERTS = 'https://www.google.com';
const ALERT_PATH = '/alerts/feeds/00000000000000000001/0000000000000000001';
const BLOG = 'https://food.synth.test';
const NOW = new Date('2026-03-02T12:30:00Z');

let ctx: TestContext;

offlineWithNock(() => ctx?.http.close());

function settings(config: Record<string, unknown>) {
  return rss.parseConfig(config, {});
}

function fetchAll(config: Record<string, unknown>, cursor: unknown = null) {
  ctx = testContext({ platform: 'rss', now: NOW });
  const parsed = settings(config);
  return allPages(rss.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

const alertConfig = { url: `${ALERTS}${ALERT_PATH}`, excludeTerms: ['giveaway'] };

describe('Google Alerts (Atom)', () => {
  test('reads entries without terms, strips HTML titles, unwraps redirect links, keeps the validators', async () => {
    nock(ALERTS).get(ALERT_PATH).reply(200, alertFeed, { 'content-type': 'application/atom+xml; charset=utf-8', etag: '"alert-v1"', 'last-modified': 'Mon, 02 Mar 2026 12:10:00 GMT' });

    const [page] = await fetchAll(alertConfig);

    expect(page!.items).toHaveLength(2);
    expect(page!.items[0]).toMatchObject({
      externalId: 'tag:google.com,2013:googlealerts/feed:10000000000000000001',
      kind: 'mention',
      url: 'https://news.synth.test/2026/03/best-new-cafe?ref=rss',
      author: null,
      rating: null,
      title: 'Quillby Coffee named best new café in Synthville',
      body: "The judges loved Quillby Coffee's flat white & the ...",
      language: null,
      publishedAt: new Date('2026-03-02T12:10:00Z'),
      updatedAt: null,
      ownerReply: null,
    });
    expect(page!.items[1]).toMatchObject({ externalId: 'tag:google.com,2013:googlealerts/feed:10000000000000000003', url: 'https://council.synth.test/minutes' });
    expect(page!.cursor).toMatchObject({ etag: '"alert-v1"', lastModified: 'Mon, 02 Mar 2026 12:10:00 GMT' });
  });

  test('sends the validators back; 304 is an empty page with the same cursor', async () => {
    nock(ALERTS).get(ALERT_PATH).reply(200, alertFeed, { etag: '"alert-v1"', 'last-modified': 'Mon, 02 Mar 2026 12:10:00 GMT' });
    const [first] = await fetchAll(alertConfig);
    await ctx.http.close();
    const notModified = nock(ALERTS)
      .get(ALERT_PATH)
      .matchHeader('if-none-match', '"alert-v1"')
      .matchHeader('if-modified-since', 'Mon, 02 Mar 2026 12:10:00 GMT')
      .reply(304, '');

    const pages = await fetchAll(alertConfig, first!.cursor);

    expect(notModified.isDone()).toBe(true);
    expect(pages).toEqual([{ items: [], cursor: first!.cursor }]);
  });

  test('a changed feed reports only new entries and edited ones (Atom <updated>)', async () => {
    nock(ALERTS).get(ALERT_PATH).reply(200, alertFeed);
    const [first] = await fetchAll(alertConfig);
    await ctx.http.close();
    const changed = alertFeed
      .replace('Permit granted for', 'Permit refused for')
      .replace('<updated>2026-03-02T08:00:00Z</updated>', '<updated>2026-03-02T12:20:00Z</updated>')
      .replace('<entry>', '<entry><id>tag:google.com,2013:googlealerts/feed:4</id><title>Quillby Coffee expands</title><link href="https://x.synth.test/a"/><published>2026-03-02T12:25:00Z</published><updated>2026-03-02T12:25:00Z</updated><content type="html">More seats.</content></entry><entry>');
    nock(ALERTS).get(ALERT_PATH).reply(200, changed);

    const [page] = await fetchAll(alertConfig, first!.cursor);

    expect(page!.items.map((item) => [item.externalId, item.updatedAt?.toISOString() ?? null, item.body])).toEqual([
      ['tag:google.com,2013:googlealerts/feed:4', null, 'More seats.'],
      ['tag:google.com,2013:googlealerts/feed:10000000000000000003', '2026-03-02T12:20:00.000Z', 'Permit refused for Quillby Coffee terrace.'],
    ]);
  });
});

describe('RSS 2.0', () => {
  test('filters by terms when given, reads CDATA, namespaces, RFC 822 dates, authors and falls back for ids', async () => {
    nock(BLOG).get('/feed.xml').query({ format: 'rss' }).reply(200, blogFeed, { 'content-type': 'application/rss+xml' });

    // A source polled before (an empty memory): every entry counts, not only the last day's.
    const [page] = await fetchAll({ url: `${BLOG}/feed.xml?format=rss`, terms: ['Quillby Coffee'] }, { etag: null, lastModified: null, seen: {} });

    expect(page!.items).toHaveLength(2);
    expect(page!.items[0]).toMatchObject({
      externalId: 'food-synth-2026-0042',
      url: 'https://food.synth.test/2026/03/three-coffees',
      author: 'Ada Synth',
      title: 'Three coffees & a croissant',
      // content:encoded is preferred to the description.
      body: 'We tried Quillby Coffee first.\n\nThe queue was long & the cups tiny.\n\nFull review below…',
      language: 'en-gb',
      publishedAt: new Date('2026-03-02T10:45:00Z'),
      updatedAt: null,
    });
    // Neither guid nor link: a hash of title and date, stable across polls.
    expect(page!.items[1]!.externalId).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(page!.items[1]).toMatchObject({ url: null, author: null, publishedAt: new Date('2026-02-28T16:00:00Z') });
  });

  test('the first poll reports only the last day; later polls report any entry not seen before', async () => {
    nock(BLOG).get('/feed.xml').reply(200, blogFeed);
    const [first] = await fetchAll({ url: `${BLOG}/feed.xml` });
    expect(first!.items.map((item) => item.title)).toEqual(['Three coffees & a croissant', 'Quillbyte: a new app for ordering ahead']);
    expect(first!.items[1]).toMatchObject({ url: 'https://food.synth.test/2026/03/quillbyte', author: 'Bo Editor', body: 'Not about any cafe — an app.' });
    await ctx.http.close();

    nock(BLOG).get('/feed.xml').reply(200, blogFeed);
    const [second] = await fetchAll({ url: `${BLOG}/feed.xml` }, first!.cursor);
    expect(second!.items).toEqual([]);
  });

  test('a page that is not a feed, or not XML, is a bad payload with the text kept', async () => {
    nock(BLOG).get('/feed.xml').reply(200, '<html><body>Moved</body></html>', { 'content-type': 'text/html' });
    const notFeed = await connectorFailure(fetchAll({ url: `${BLOG}/feed.xml` }));
    expect([notFeed.kind, notFeed.payload]).toEqual(['bad_payload', JSON.stringify('<html><body>Moved</body></html>')]);
    await ctx.http.close();

    nock(BLOG).get('/feed.xml').reply(200, '<rss><channel><item></channel></rss>');
    expect((await connectorFailure(fetchAll({ url: `${BLOG}/feed.xml` }))).kind).toBe('bad_payload');
  });

  test('a feed on a private address is refused', async () => {
    const error = await connectorFailure(fetchAll({ url: 'http://127.0.0.1:8080/feed.xml' }));
    expect(error.kind).toBe('config');
  });
});

describe('pieces', () => {
  test('the XML reader resolves prefixes, keeps CDATA verbatim and never expands declared entities', () => {
    const root = parseXml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><a xmlns:p="urn:p"><p:b q="1 &gt; 0">&x; &amp; <![CDATA[<i>&amp;</i>]]></p:b></a>');
    const b = root.children[0];
    expect(typeof b === 'object' && [b.ns, b.name, b.attributes.q]).toEqual(['urn:p', 'b', '1 > 0']);
    expect(textContent(root)).toBe('&x; & <i>&amp;</i>');
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    expect(() => parseXml('<a></a><b></b>')).toThrow(XmlError);
  });

  test('only Google redirect links are unwrapped, and only to http(s) targets', () => {
    expect(unwrapRedirect('https://www.google.com/url?rct=j&sa=t&url=https://a.test/x&ct=ga')).toBe('https://a.test/x');
    expect(unwrapRedirect('https://www.google.co.uk/url?q=https://a.test/y')).toBe('https://a.test/y');
    expect(unwrapRedirect('https://www.google.com/url?url=javascript:alert(1)')).toBe('https://www.google.com/url?url=javascript:alert(1)');
    expect(unwrapRedirect('https://evil.test/url?url=https://a.test/')).toBe('https://evil.test/url?url=https://a.test/');
  });

  test('settings: url required, http(s) only, query kept, fragment dropped', () => {
    expect(() => settings({})).toThrow('config.url is required');
    expect(() => settings({ url: 'file:///etc/passwd' })).toThrow('http or https');
    expect(settings({ url: 'https://a.test/feed?x=1#top' }).config.url).toBe('https://a.test/feed?x=1');
  });
});
