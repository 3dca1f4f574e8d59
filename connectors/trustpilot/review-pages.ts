import type { ConnectorContext } from '../contract.ts';
import { readReviewsPage, reviewCreatedAt, type TrustpilotReview } from './reviews.ts';
import type { TrustpilotConfig, TrustpilotCredentials } from './settings.ts';

// Trustpilot's largest page.
const PER_PAGE = 100;
// Ordering by creation time hides edits and replies on older reviews, so every poll
// re-reads at least the newest this many (one page), whatever the watermark says.
export const RESCAN_REVIEWS = 100;
// Bounds one poll after a long outage: 5,000 reviews.
const MAX_PAGES = 50;

export function reviewsUrl(config: TrustpilotConfig, page: number, perPage: number): string {
  const url = new URL(`${config.baseUrl}/v1/business-units/${encodeURIComponent(config.businessUnitId)}/reviews`);
  url.searchParams.set('orderBy', 'createdat.desc');
  url.searchParams.set('perPage', String(perPage));
  url.searchParams.set('page', String(page));
  if (config.language !== undefined) url.searchParams.set('language', config.language);
  return url.toString();
}

export async function getReviewsPage(config: TrustpilotConfig, credentials: TrustpilotCredentials, ctx: ConnectorContext, page: number, perPage = PER_PAGE) {
  const response = await ctx.http.json({ url: reviewsUrl(config, page, perPage), headers: { apikey: credentials.apiKey }, label: 'business-unit reviews' });
  return readReviewsPage(response.body);
}

/**
 * The business unit's reviews newest first, page by page, until both the newest
 * RESCAN_REVIEWS have been read and a page reaches back to `readBackTo` (null: a
 * first poll, which reads only the newest RESCAN_REVIEWS), or there are no more.
 */
export async function* reviewPages(config: TrustpilotConfig, credentials: TrustpilotCredentials, ctx: ConnectorContext, readBackTo: Date | null): AsyncGenerator<TrustpilotReview[]> {
  let read = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { reviews, hasNextPage } = await getReviewsPage(config, credentials, ctx, page);
    yield reviews;
    read += reviews.length;
    // Past the last page Trustpilot answers an empty list; without `links` that is how the end shows.
    if (reviews.length === 0 || hasNextPage === false) return;
    if (read < RESCAN_REVIEWS) continue;
    if (readBackTo === null) return;
    if (reviews.some((review) => (reviewCreatedAt(review) ?? readBackTo) <= readBackTo)) return;
  }
  ctx.log.warn({ pages: MAX_PAGES }, 'trustpilot: stopped at the page limit for one poll; older new reviews are read next poll');
}
