import { ConnectorError, type ConnectorContext } from '../contract.ts';
import { readReviewsResponse, reviewCreatedAt, type YelpReview } from './reviews.ts';
import type { YelpConfig, YelpCredentials } from './settings.ts';

// Yelp's largest page; standard plans hand out three reviews whatever is asked.
const PAGE_SIZE = 50;
// Bounds one poll (and a first poll's look back) where a plan pages further: 200 reviews.
const MAX_PAGES = 4;
// A per-second limit clears within a second or two; the daily reset time Yelp also sends does not apply to it.
const PER_SECOND_WAIT_MS = 5_000;

export function reviewsUrl(config: YelpConfig, options: { limit: number; offset: number }): string {
  const url = new URL(`${config.baseUrl}/v3/businesses/${encodeURIComponent(config.businessId)}/reviews`);
  url.searchParams.set('limit', String(options.limit));
  url.searchParams.set('offset', String(options.offset));
  url.searchParams.set('sort_by', 'newest');
  if (config.locale !== undefined) url.searchParams.set('locale', config.locale);
  return url.toString();
}

/**
 * One reviews request. Yelp answers both of its limits with 429: the per-second one
 * (TOO_MANY_REQUESTS_PER_SECOND) and the daily one (ACCESS_LIMIT_REACHED, reset at
 * the time in RateLimit-ResetTime, which the HTTP client waits for). Every response
 * carries that daily reset time, so a per-second refusal waits seconds, not until it.
 */
export async function getReviews(config: YelpConfig, credentials: YelpCredentials, ctx: ConnectorContext, options: { limit: number; offset: number }) {
  try {
    const response = await ctx.http.json({
      url: reviewsUrl(config, options),
      headers: { authorization: `Bearer ${credentials.apiKey}` },
      label: 'business reviews',
    });
    return readReviewsResponse(response.body);
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'rate_limited' && error.message.includes('TOO_MANY_REQUESTS_PER_SECOND')) {
      throw new ConnectorError('rate_limited', error.message, {
        status: error.status,
        retryAfterMs: Math.min(error.retryAfterMs ?? PER_SECOND_WAIT_MS, PER_SECOND_WAIT_MS),
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The business's reviews newest first, page by page, until a page reaches back to
 * `readBackTo` (null: the first poll, which reads up to MAX_PAGES), Yelp has no
 * more, or a page brings nothing not read already (a plan that ignores `offset`).
 */
export async function* reviewPages(config: YelpConfig, credentials: YelpCredentials, ctx: ConnectorContext, readBackTo: Date | null): AsyncGenerator<YelpReview[]> {
  const read = new Set<string>();
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { reviews, total } = await getReviews(config, credentials, ctx, { limit: PAGE_SIZE, offset });
    const fresh = reviews.filter((review) => !read.has(review.id));
    for (const review of reviews) read.add(review.id);
    yield fresh;
    if (fresh.length === 0) return;
    offset += reviews.length;
    if (total !== null && offset >= total) return;
    const times = reviews.map(reviewCreatedAt).filter((at): at is Date => at !== null);
    if (readBackTo !== null && times.some((at) => at <= readBackTo)) return;
  }
  ctx.log.debug({ pages: MAX_PAGES }, 'yelp: stopped at the page limit for one poll');
}
