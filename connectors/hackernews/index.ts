import type { Connector, Page } from '../contract.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { hitCreatedAt, hitSearchableText, hitToItem, readSearchResponse, type Hit } from './hits.ts';
import { recheckItems } from './recheck.ts';
import { searchPages } from './search-pages.ts';
import { configSchema, credentialsSchema, parseSettings, type HackerNewsConfig, type HackerNewsCredentials } from './settings.ts';
import { cursorValue, pagesOneStepLate, readCursor, searchSince } from '../watermark-cursor.ts';

// A new source looks back one day rather than through the site's whole history.
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

/** Hacker News stories and comments that mention the watched terms, found with Algolia's keyless search by date. */
export const hackerNews: Connector<HackerNewsConfig, HackerNewsCredentials> = {
  id: 'hackernews',
  version: '1.0.0',
  displayName: 'Hacker News',
  shortName: 'Hacker News',
  repliable: true,
  kind: 'mention',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 15,
  // Algolia's HN API allows about 10,000 requests an hour per IP (a community figure, not an SLA).
  budget: { requests: 10_000, windowSeconds: 3600 },
  // HN allows edits for two hours, but the search index carries no edit time: an edit is not seen.
  capabilities: { hasRatings: false, detectsOwnerReplies: false, seesEdits: false, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, _credentials, ctx) {
    const url = new URL(`${config.baseUrl}/api/v1/search_by_date`);
    url.searchParams.set('query', config.terms[0]!);
    url.searchParams.set('tags', '(story,comment)');
    url.searchParams.set('hitsPerPage', '1');
    const response = await ctx.http.json({ url: url.toString(), label: 'search_by_date' });
    readSearchResponse(response.body);
  },
  async *fetch(config, _credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const since = searchSince(previous.since, ctx.now(), FIRST_POLL_LOOKBACK_MS);
    const mentionsTerm = containsAnyTerm(config.terms);
    const mentionsExcluded = containsAnyTerm(config.excludeTerms);
    // Algolia matches prefixes and typos ("apple" finds "applauded"): every hit is checked against its own text.
    const isMention = (hit: Hit) => {
      const text = hitSearchableText(hit);
      return mentionsTerm(text) && !mentionsExcluded(text);
    };
    const pages = (async function* () {
      for (const term of config.terms) yield* searchPages(ctx, config.baseUrl, term, since);
    })();
    // A hit found by several terms, or re-read in the overlap, is reported once. A first poll
    // that found nothing still records where it looked from, so the next one does not look back a whole day again.
    yield* pagesOneStepLate(pages, { itemsOf: (hits) => hits.filter(isMention).map(hitToItem), timeOf: hitCreatedAt }, previous, ctx.now, cursorValue, since);
  },
  // Search by date reaches only recent items: older ones awaiting a re-review are looked up one by one.
  recheck(config, _credentials, ids, ctx) {
    return recheckItems(ctx, config.baseUrl, ids);
  },
};
