import type { ConnectorContext } from '../contract.ts';
import { readReviewsPage, reviewUpdatedAt, type BusinessReview } from './reviews.ts';
import type { GoogleBusinessConfig } from './settings.ts';

// Google's largest page.
const PAGE_SIZE = 50;
// A new source reads the 200 most recently updated reviews, not the location's whole history.
const FIRST_POLL_PAGES = 4;
// Bounds one poll after a long outage: 2,000 reviews (the rest follow on the next poll).
const MAX_PAGES = 40;

export function reviewsUrl(config: GoogleBusinessConfig, pageSize: number, pageToken: string | null): string {
  const url = new URL(`${config.baseUrl}/v4/accounts/${encodeURIComponent(config.accountId)}/locations/${encodeURIComponent(config.locationId)}/reviews`);
  url.searchParams.set('pageSize', String(pageSize));
  url.searchParams.set('orderBy', 'updateTime desc');
  if (pageToken !== null) url.searchParams.set('pageToken', pageToken);
  return url.toString();
}

export async function getReviewsPage(config: GoogleBusinessConfig, token: string, ctx: ConnectorContext, pageSize: number, pageToken: string | null) {
  const response = await ctx.http.json({ url: reviewsUrl(config, pageSize, pageToken), headers: { authorization: `Bearer ${token}` }, label: 'reviews' });
  return readReviewsPage(response.body);
}

/**
 * The location's reviews, most recently updated first, page by page, until a page
 * reaches back to `readBackTo` (null: a first poll, which reads FIRST_POLL_PAGES),
 * or Google gives no next page.
 */
export async function* reviewPages(config: GoogleBusinessConfig, token: string, ctx: ConnectorContext, readBackTo: Date | null): AsyncGenerator<BusinessReview[]> {
  let pageToken: string | null = null;
  const limit = readBackTo === null ? FIRST_POLL_PAGES : MAX_PAGES;
  for (let page = 0; page < limit; page++) {
    const { reviews, nextPageToken } = await getReviewsPage(config, token, ctx, PAGE_SIZE, pageToken);
    yield reviews;
    if (nextPageToken === null || reviews.length === 0) return;
    if (readBackTo !== null && reviews.some((review) => (reviewUpdatedAt(review) ?? readBackTo) <= readBackTo)) return;
    pageToken = nextPageToken;
  }
  if (readBackTo !== null) ctx.log.warn({ pages: MAX_PAGES }, 'google_business: stopped at the page limit for one poll; older updates are read next poll');
}
