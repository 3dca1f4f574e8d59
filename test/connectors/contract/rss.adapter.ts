import { createHash } from 'node:crypto';
import nock from 'nock';
import { rss } from '../../../connectors/rss/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://feeds-synth.test';
const FEED_PATH = '/alerts/feeds/0001/0002';
const TERM = 'Quillby Coffee';
const ATOM_TYPE = { 'content-type': 'application/atom+xml; charset=utf-8' };

const entryId = (fakeId: string) => `tag:google.com,2013:googlealerts/feed:${fakeId}`;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A Google Alerts entry: HTML title and content (escaped), a google.com/url redirect link. */
function renderEntry(item: FakeItem): string {
  const real = `https://news.synth.test/${encodeURIComponent(item.id)}`;
  const link = `https://www.google.com/url?rct=j&sa=t&url=${encodeURIComponent(real)}&ct=ga&cd=CAIy&usg=AOvVaw0`;
  return `<entry>
    <id>${escapeXml(entryId(item.id))}</id>
    <title type="html">${escapeXml(`News about <b>${TERM}</b>`)}</title>
    <link href="${escapeXml(link)}"></link>
    <published>${item.publishedAt.toISOString()}</published>
    <updated>${(item.updatedAt ?? item.publishedAt).toISOString()}</updated>
    <content type="html">${escapeXml(item.text.replace(/&/g, '&amp;').replace(/</g, '&lt;'))}</content>
    <author><name>${escapeXml(item.author)}</name></author>
  </entry>`;
}

function renderFeed(platform: FakePlatform): string {
  const entries = [...platform.items].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
  const updated = entries[0]?.publishedAt.toISOString() ?? '2026-01-01T00:00:00.000Z';
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
  <id>tag:google.com,2005:reader/user/0001/state/com.google/alert/0002</id>
  <title>Google Alert - ${escapeXml(TERM)}</title>
  <link href="https://www.google.com${FEED_PATH}" rel="self"></link>
  <updated>${updated}</updated>
  ${entries.map(renderEntry).join('\n  ')}
</feed>`;
}

type Reply = [number, string, Record<string, string>];

export const adapter: ContractAdapter = {
  connector: rss,
  // A Google Alerts feed is already a search: no terms needed.
  config: { url: `${ORIGIN}${FEED_PATH}` },
  credentials: {},
  origin: ORIGIN,
  externalId: entryId,
  // A feed is one document: no paging.
  pages: false,
  term: TERM,
  serve(platform: FakePlatform) {
    // nock 15 hands reply functions the fetch Request.
    nock(ORIGIN)
      .persist()
      .get(FEED_PATH)
      .reply((request: Request): Reply => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, '<?xml version="1.0"?><html><body>Not a feed</body></html>', ATOM_TYPE];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const feed = renderFeed(platform);
        const etag = `"${createHash('sha256').update(feed).digest('hex').slice(0, 16)}"`;
        if (request.headers.get('if-none-match') === etag) return [304, '', { etag }];
        return [200, feed, { ...ATOM_TYPE, etag }];
      });
  },
};
