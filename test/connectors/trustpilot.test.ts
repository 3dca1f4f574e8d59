import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { trustpilot } from '../../connectors/trustpilot/index.ts';
import page1 from '../fixtures/trustpilot/reviews-page-1.json' with { type: 'json' };
import page2 from '../fixtures/trustpilot/reviews-page-2.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const API = 'https://api.trustpilot.com';
const UNIT = '5a1b2c3d4e5f60718293a4b5';
const KEY = 'synthetic-trustpilot-key-9876543210';
const PATH = `/v1/business-units/${UNIT}/reviews`;
const NOW = new Date('2026-03-02T12:30:00Z');
const settings = trustpilot.parseConfig({ businessUnitId: UNIT }, { apiKey: KEY });

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function fetchOnce(cursor: unknown = null, parsed = settings, now = NOW) {
  ctx = testContext({ platform: 'trustpilot', now });
  return allPages(trustpilot.fetch(parsed.config, parsed.credentials, cursor, ctx));
}

const saved = (pages: Array<{ cursor: unknown }>) => JSON.parse(JSON.stringify(pages.at(-1)?.cursor)) as unknown;

/** `count` reviews a minute apart, newest first, the newest at `newest`. */
function generated(count: number, newest: Date, from = 0): Array<Record<string, unknown> & { id: string }> {
  return Array.from({ length: count }, (_, index) => ({
    ...page2.reviews[0],
    id: `6700${String(from + index).padStart(20, '0')}`,
    text: `Synthetic review number ${from + index}`,
    createdAt: new Date(newest.getTime() - (from + index) * 60_000).toISOString(),
  }));
}

describe('fetch', () => {
  test('reads newest first with the apikey header, follows next-page, and normalises reviews and replies', async () => {
    const first = nock(API)
      .get(PATH)
      .query({ orderBy: 'createdat.desc', perPage: '100', page: '1' })
      .matchHeader('apikey', KEY)
      .reply(200, page1);
    const second = nock(API).get(PATH).query({ orderBy: 'createdat.desc', perPage: '100', page: '2' }).matchHeader('apikey', KEY).reply(200, page2);
    const pages = await fetchOnce();
    expect(first.isDone() && second.isDone()).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items.map((item) => item.externalId)).toEqual(['6601f00dcafe000000000a01', '6601f00dcafe000000000a02', '6601f00dcafe000000000a03']);
    expect(items[1]).toEqual({
      externalId: '6601f00dcafe000000000a02',
      kind: 'review',
      url: 'https://www.trustpilot.com/reviews/6601f00dcafe000000000a02',
      author: 'Ida Krogh',
      rating: 4,
      title: 'Bløde lagner',
      body: 'Lagnerne er bløde og holder farven efter vask. Levering tog lidt længere tid end lovet.',
      language: 'da',
      publishedAt: new Date('2026-03-01T19:02:44Z'),
      updatedAt: new Date('2026-03-02T08:15:30Z'),
      // The reply's first posting, which response times count from.
      ownerReply: { text: 'Tak for din anmeldelse, Ida! Vi arbejder på hurtigere levering.', at: new Date('2026-03-02T09:00:00Z') },
      raw: page1.reviews[1],
    });
    expect(items[0]).toMatchObject({ rating: 1, updatedAt: null, ownerReply: null, title: 'Parcel never arrived' });
    // An empty title is no title.
    expect(items[2]).toMatchObject({ title: null, author: 'Customer', publishedAt: new Date('2026-02-27T07:30:00Z') });
    expect(pages.at(-1)?.cursor).toMatchObject({ since: '2026-03-02T11:48:09.000Z' });
  });

  test('without links, paging ends at the first empty page', async () => {
    const { links: _links, ...noLinks } = page1;
    nock(API).get(PATH).query((q) => q.page === '1').reply(200, noLinks);
    const end = nock(API).get(PATH).query((q) => q.page === '2').reply(200, { reviews: [] });
    const pages = await fetchOnce();
    expect(end.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items)).toHaveLength(2);
  });

  test('a first poll reads only the newest 100', async () => {
    const newest = new Date('2026-03-02T12:00:00Z');
    const scope = nock(API).get(PATH).query((q) => q.page === '1').reply(200, { links: [{ rel: 'next-page', href: 'x', method: 'GET' }], reviews: generated(100, newest) });
    const pages = await fetchOnce();
    expect(scope.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items)).toHaveLength(100);
  });

  test('each poll re-reads the newest 100: a reply or an edit on an older review among them is reported, nothing else', async () => {
    const newest = new Date('2026-03-02T12:00:00Z');
    const reviews = generated(100, newest);
    const next = { links: [{ rel: 'next-page', href: 'x', method: 'GET' }] };
    nock(API).get(PATH).query((q) => q.page === '1').reply(200, { ...next, reviews });
    const first = await fetchOnce();

    // An hour later: one new review, a reply on review 60 and an edit of review 80, all older than the watermark.
    const later = new Date(NOW.getTime() + 3600_000);
    const fresh = { ...reviews[0]!, id: '6700ffffffffffffffffffff', createdAt: '2026-03-02T13:10:00.000Z' };
    const replied = { ...reviews[60]!, companyReply: { text: 'Thanks, we have fixed the zip.', createdAt: '2026-03-02T13:05:00.000Z', updatedAt: null } };
    const edited = { ...reviews[80]!, stars: 2, text: 'Edited: the seams came apart', updatedAt: '2026-03-02T13:01:00.000Z' };
    const shown: Array<Record<string, unknown>> = [fresh, ...reviews.slice(0, 99)];
    shown[61] = replied;
    shown[81] = edited;
    const scope = nock(API).get(PATH).query((q) => q.page === '1').reply(200, { ...next, reviews: shown });
    const pages = await fetchOnce(saved(first), undefined, later);
    expect(scope.isDone()).toBe(true);
    const items = pages.flatMap((page) => page.items);
    expect(items.map((item) => item.externalId)).toEqual([fresh.id, replied.id, edited.id]);
    expect(items[1]?.ownerReply).toEqual({ text: 'Thanks, we have fixed the zip.', at: new Date('2026-03-02T13:05:00Z') });
    expect(items[2]).toMatchObject({ rating: 2, body: 'Edited: the seams came apart', updatedAt: new Date('2026-03-02T13:01:00Z') });
  });

  test('after a busy spell a later poll pages back to the watermark', async () => {
    const newest = new Date('2026-03-02T12:00:00Z');
    const older = generated(20, newest, 1000).map((review, index) => ({ ...review, createdAt: new Date(newest.getTime() - index * 60_000).toISOString() }));
    nock(API).get(PATH).query((q) => q.page === '1').reply(200, { links: [], reviews: older });
    const first = await fetchOnce();
    // 150 new reviews since: the second page reaches back past the watermark (minus the overlap).
    const busy = new Date('2026-03-02T14:40:00Z');
    const all = [...generated(150, busy), ...older];
    const next = { links: [{ rel: 'next-page', href: 'x', method: 'GET' }] };
    nock(API).get(PATH).query((q) => q.page === '1').reply(200, { ...next, reviews: all.slice(0, 100) });
    nock(API).get(PATH).query((q) => q.page === '2').reply(200, { ...next, reviews: all.slice(100, 200) });
    const pages = await fetchOnce(saved(first), undefined, new Date('2026-03-02T15:00:00Z'));
    expect(pages).toHaveLength(2);
    expect(pages.flatMap((page) => page.items)).toHaveLength(150);
    // Only the last page moves the watermark.
    expect(pages[0]?.cursor).toMatchObject({ since: '2026-03-02T12:00:00.000Z' });
    expect(pages[1]?.cursor).toMatchObject({ since: '2026-03-02T14:40:00.000Z' });
  });

  test('language is passed on', async () => {
    const parsed = trustpilot.parseConfig({ businessUnitId: UNIT, language: 'da' }, { apiKey: KEY });
    const scope = nock(API).get(PATH).query({ orderBy: 'createdat.desc', perPage: '100', page: '1', language: 'da' }).reply(200, { links: [], reviews: [] });
    await fetchOnce(null, parsed);
    expect(scope.isDone()).toBe(true);
  });

  test('check() asks for one review', async () => {
    const scope = nock(API).get(PATH).query({ orderBy: 'createdat.desc', perPage: '1', page: '1' }).matchHeader('apikey', KEY).reply(200, page1);
    ctx = testContext({ platform: 'trustpilot' });
    await trustpilot.check(settings.config, settings.credentials, ctx);
    expect(scope.isDone()).toBe(true);
  });
});

describe('errors', () => {
  test.each([401, 403, 404])('HTTP %i is a config error without the key', async (status) => {
    nock(API).get(PATH).query(true).reply(status, { message: `Synthetic refusal for ${KEY}`, errorCode: status });
    const error = await connectorFailure(fetchOnce());
    expect(error).toMatchObject({ kind: 'config', status });
    expect(error.message).not.toContain(KEY);
  });

  test('429 is rate_limited for the Retry-After wait', async () => {
    nock(API).get(PATH).query(true).reply(429, 'Too Many Requests', { 'Retry-After': '300' });
    expect(await connectorFailure(fetchOnce())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 300_000 });
  });

  test('a review without an id is bad_payload with the page kept', async () => {
    nock(API).get(PATH).query(true).reply(200, { reviews: [{ stars: 3, text: 'anonymous thing' }] });
    const error = await connectorFailure(fetchOnce());
    expect(error.kind).toBe('bad_payload');
    expect(error.payload).toContain('anonymous thing');
  });
});

describe('settings', () => {
  test.each([
    [{ businessUnitId: 'lanternlinens.example' }, 'config.businessUnitId must be'],
    [{ businessUnitId: UNIT, language: 'Danish' }, 'config.language must be'],
    [{}, 'config.businessUnitId is required'],
  ])('%j is refused', (config, message) => {
    expect(() => trustpilot.parseConfig(config, { apiKey: KEY })).toThrow(message);
  });

  test('the key is secret', () => {
    expect(trustpilot.credentialsSchema.apiKey?.secret).toBe(true);
  });
});
