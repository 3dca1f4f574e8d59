import nock from 'nock';
import { appStore } from '../../../connectors/app-store/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://itunes-rss.test';
const APP_ID = '1234500001';
const FEED_PATH = new RegExp(`^/us/rss/customerreviews/page=(\\d+)/id=${APP_ID}/sortby=mostrecent/(json|xml)$`);

const shownAt = (item: FakeItem) => item.updatedAt ?? item.publishedAt;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Apple's local time with an offset, as its feeds write it. */
function appleTime(at: Date): string {
  return `${new Date(at.getTime() - 7 * 3600_000).toISOString().slice(0, 19)}-07:00`;
}

function pageOf(platform: FakePlatform, page: number): { items: FakeItem[]; last: number } {
  const sorted = [...platform.items].sort((a, b) => shownAt(b).getTime() - shownAt(a).getTime());
  const size = Math.min(platform.pageSize, 50);
  return { items: sorted.slice((page - 1) * size, page * size), last: Math.max(1, Math.ceil(sorted.length / size)) };
}

function lastLink(last: number, format: string) {
  return `https://itunes.apple.com/us/rss/customerreviews/page=${last}/id=${APP_ID}/sortby=mostrecent/xml?urlDesc=/customerreviews/id=${APP_ID}/sortBy=mostRecent/page=1/${format}`;
}

/** The JSON feed as older storefronts send it: an app-metadata entry first, and no per-entry `updated`. */
function jsonFeed(items: FakeItem[], last: number): object {
  const entries = items.map((item) => ({
    author: { uri: { label: `https://itunes.apple.com/us/reviews/id9${item.id}` }, name: { label: item.author }, label: '' },
    'im:version': { label: '1.0.0' },
    'im:rating': { label: String(item.rating) },
    id: { label: item.id },
    title: { label: `Review ${item.id}` },
    content: { label: item.text, attributes: { type: 'text' } },
    'im:voteSum': { label: '0' },
    'im:voteCount': { label: '0' },
  }));
  const app = { 'im:name': { label: 'Synthetic app' }, id: { label: `https://apps.apple.com/us/app/id${APP_ID}`, attributes: { 'im:id': APP_ID } } };
  const all = entries.length === 0 ? [] : [app, ...entries];
  return {
    feed: {
      author: { name: { label: 'iTunes Store' } },
      // Apple's quirk: one entry is an object, none is no `entry` at all.
      ...(all.length === 0 ? {} : { entry: all.length === 1 ? all[0] : all }),
      link: [{ attributes: { rel: 'last', href: lastLink(last, 'json') } }],
      id: { label: 'synthetic' },
    },
  };
}

function xmlFeed(items: FakeItem[], last: number): string {
  const entries = items.map(
    (item) => `<entry><updated>${appleTime(shownAt(item))}</updated><id>${item.id}</id><title>Review ${item.id}</title>` +
      `<content type="text">${escapeXml(item.text)}</content><im:rating>${item.rating}</im:rating><im:version>1.0.0</im:version>` +
      `<author><name>${escapeXml(item.author)}</name></author><content type="html">&lt;p&gt;${escapeXml(escapeXml(item.text))}&lt;/p&gt;</content></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom"><id>synthetic</id><link rel="last" href="${lastLink(last, 'xml')}"/>${entries.join('')}</feed>`;
}

export const adapter: ContractAdapter = {
  connector: appStore,
  config: { appId: APP_ID, countries: ['us'], baseUrl: ORIGIN },
  credentials: {},
  origin: ORIGIN,
  externalId: (fakeId) => fakeId,
  pages: true,
  term: 'Synthetic app',
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .get(FEED_PATH)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const [, page, format] = FEED_PATH.exec(new URL(request.url).pathname) ?? [];
        // Only the JSON page is a data request; the XML variant is the connector looking up dates.
        if (format === 'json') {
          platform.requests++;
          const failure = platform.failures.shift();
          if (failure === 'malformed') return [200, JSON.stringify({ feed: [{ entry: 'not a feed' }] }), { 'content-type': 'application/json' }];
          if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        }
        const { items, last } = pageOf(platform, Number(page));
        if (format === 'xml') return [200, xmlFeed(items, last), { 'content-type': 'text/xml; charset=UTF-8' }];
        return [200, JSON.stringify(jsonFeed(items, last)), { 'content-type': 'application/json; charset=UTF-8' }];
      });
  },
};
