import type { ConnectorContext } from '../contract.ts';
import { USER_AGENT } from './access-token.ts';
import { createdAt, readListing, type Thing } from './listing.ts';
import type { RedditConfig } from './settings.ts';

const PAGE_SIZE = 100;
// Reddit lists about 1000 things deep; ten pages of 100.
const MAX_PAGES = 10;

/** One newest-first listing a poll reads: a search for a term, or a subreddit's new posts or comments. */
export interface Stream {
  path: string;
  params: Record<string, string>;
  label: string;
}

export function streams(config: RedditConfig): Stream[] {
  if (config.subreddits.length === 0) {
    return config.terms.map((term) => ({ path: '/search', params: { q: term, sort: 'new', type: 'link' }, label: 'search' }));
  }
  return config.subreddits.flatMap((sub) => [
    { path: `/r/${encodeURIComponent(sub)}/new`, params: {}, label: `r/${sub} new posts` },
    { path: `/r/${encodeURIComponent(sub)}/comments`, params: {}, label: `r/${sub} new comments` },
  ]);
}

/**
 * A listing's pages, newest first, with `after` until a page reaches `since`.
 * Never `before`: when the newest thing remembered is deleted, `before` returns
 * nothing forever.
 */
export async function* streamPages(ctx: ConnectorContext, baseUrl: string, token: string, stream: Stream, since: Date): AsyncGenerator<Thing[]> {
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${baseUrl}${stream.path}`);
    for (const [name, value] of Object.entries(stream.params)) url.searchParams.set(name, value);
    url.searchParams.set('limit', String(PAGE_SIZE));
    url.searchParams.set('raw_json', '1');
    if (after !== null) url.searchParams.set('after', after);
    const response = await ctx.http.json({
      url: url.toString(),
      headers: { Authorization: `Bearer ${token}`, 'User-Agent': USER_AGENT },
      label: stream.label,
    });
    const listing = readListing(response.body, `reddit ${stream.label}`);
    yield listing.things;
    const reachedSince = listing.things.some((thing) => createdAt(thing) < since);
    if (listing.after === null || listing.after === after || listing.things.length === 0 || reachedSince) return;
    after = listing.after;
  }
  ctx.log.warn({ listing: stream.label, pages: MAX_PAGES }, 'reddit listing stopped at its depth; older things are skipped');
}
