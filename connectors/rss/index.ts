import type { Connector, ConnectorContext, HttpResponse, Page } from '../contract.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { conditionalHeaders, readCursor, type RssCursor } from './cursor.ts';
import { entryToItem, readFeed } from './feed.ts';
import { configSchema, credentialsSchema, parseSettings, type RssConfig, type RssCredentials } from './settings.ts';

const FEED_ACCEPT = 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
// A new source reports what the feed published in the last day; older entries are remembered, not reported.
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

function getFeed(ctx: ConnectorContext, config: RssConfig, headers: Record<string, string>): Promise<HttpResponse> {
  return ctx.http.send({ url: config.url, headers: { Accept: FEED_ACCEPT, ...headers }, label: 'feed' });
}

/** Any RSS 2.0, RSS 1.0 or Atom feed, including Google Alerts feeds. */
export const rss: Connector<RssConfig, RssCredentials> = {
  id: 'rss',
  version: '1.0.0',
  displayName: 'RSS / Atom feed (incl. Google Alerts)',
  shortName: 'RSS / Atom feed (incl. Google Alerts)',
  // A feed brings articles and posts the business has no channel to answer.
  repliable: false,
  kind: 'mention',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 30,
  // Feeds have no published limit; one request a second across all feeds stays polite.
  budget: { requests: 60, windowSeconds: 60 },
  // Atom's <updated> shows edits; a feed holds only its latest entries (Google Alerts: about 20).
  capabilities: { hasRatings: false, detectsOwnerReplies: false, seesEdits: true, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, _credentials, ctx) {
    readFeed((await getFeed(ctx, config, {})).text, config.url);
  },
  async *fetch(config, _credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const response = await getFeed(ctx, config, conditionalHeaders(previous));
    if (response.status === 304 && previous !== null) {
      yield { items: [], cursor: previous };
      return;
    }
    const entries = readFeed(response.text, config.url);
    const mentionsTerm = containsAnyTerm(config.terms);
    const mentionsExcluded = containsAnyTerm(config.excludeTerms);
    // A feed that is already a search (Google Alerts) needs no terms; with terms, entries must contain one.
    const items = entries
      .map(entryToItem)
      .filter((item) => {
        const text = `${item.title ?? ''}\n${item.body}`;
        return (config.terms.length === 0 || mentionsTerm(text)) && !mentionsExcluded(text);
      });
    const seen = previous?.seen ?? {};
    const since = new Date(ctx.now().getTime() - FIRST_POLL_LOOKBACK_MS);
    const unreported = unreportedItems(items, seen).filter((item) => previous !== null || item.publishedAt === null || item.publishedAt >= since);
    const next: RssCursor = {
      etag: response.headers.etag ?? null,
      lastModified: response.headers['last-modified'] ?? null,
      seen: rememberVersions(seen, items),
    };
    yield { items: unreported, cursor: next };
  },
};
