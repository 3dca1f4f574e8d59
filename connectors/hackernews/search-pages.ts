import type { ConnectorContext } from '../contract.ts';
import { readSearchResponse, type Hit } from './hits.ts';

const HITS_PER_PAGE = 100;
// Algolia serves about 1000 hits per query (10 pages of 100); older ones are reached by narrowing the time window.
// This bounds one poll of one very busy term.
const MAX_PAGES_PER_TERM = 30;

function searchUrl(baseUrl: string, term: string, sinceSeconds: number, untilSeconds: number | null, page: number): string {
  const url = new URL(`${baseUrl}/api/v1/search_by_date`);
  url.searchParams.set('query', term);
  url.searchParams.set('tags', '(story,comment)');
  const filters = [`created_at_i>${sinceSeconds}`];
  if (untilSeconds !== null) filters.push(`created_at_i<=${untilSeconds}`);
  url.searchParams.set('numericFilters', filters.join(','));
  url.searchParams.set('hitsPerPage', String(HITS_PER_PAGE));
  url.searchParams.set('page', String(page));
  return url.toString();
}

/**
 * The hits of `search_by_date` for one term created after `since`, newest first,
 * page by page. When a query has more hits than Algolia lets anyone page to, the
 * search continues in a window ending at the oldest hit reached (hits at that very
 * second are read twice; the caller dedupes by objectID).
 */
export async function* searchPages(ctx: ConnectorContext, baseUrl: string, term: string, since: Date): AsyncGenerator<Hit[]> {
  const sinceSeconds = Math.floor(since.getTime() / 1000);
  let untilSeconds: number | null = null;
  let page = 0;
  for (let requests = 0; requests < MAX_PAGES_PER_TERM; requests++) {
    const response = await ctx.http.json({ url: searchUrl(baseUrl, term, sinceSeconds, untilSeconds, page), label: 'search_by_date' });
    const { hits, nbPages, nbHits } = readSearchResponse(response.body);
    yield hits;
    if (hits.length === 0) return;
    const oldest = Math.min(...hits.map((hit) => hit.created_at_i));
    if (oldest <= sinceSeconds) return;
    if (page + 1 < nbPages) {
      page++;
      continue;
    }
    // The last reachable page: done, unless Algolia counted more hits than it let us page through.
    const reached = (page + 1) * HITS_PER_PAGE;
    if (nbHits === null || nbHits <= reached || hits.length < HITS_PER_PAGE) return;
    if (untilSeconds !== null && oldest >= untilSeconds) {
      ctx.log.warn({ term }, 'hackernews: more hits in one second than Algolia serves; some are skipped');
      return;
    }
    untilSeconds = oldest;
    page = 0;
  }
  ctx.log.warn({ term, pages: MAX_PAGES_PER_TERM }, 'hackernews search stopped at the page limit; older matches of this term are skipped');
}
