import type { ConnectorContext, NormalizedItem, Recheck } from '../contract.ts';
import { lookUpById, recheckEach } from '../lookup-by-id.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { reviewToItem } from './reviews.ts';
import type { GoogleBusinessConfig } from './settings.ts';

/** `GET /v4/accounts/{a}/locations/{l}/reviews/{reviewId}`: the external id is the bare `reviewId`. */
export function reviewUrl(config: GoogleBusinessConfig, reviewId: string): string {
  return `${config.baseUrl}/v4/accounts/${encodeURIComponent(config.accountId)}/locations/${encodeURIComponent(config.locationId)}/reviews/${encodeURIComponent(reviewId)}`;
}

/**
 * One review as Google shows it now. Google documents NOT_FOUND (404) for a review that
 * "does not exist, or has been deleted"; the same poll has just listed this location's
 * reviews, so the location itself is there. A 403 says nothing about the review.
 */
async function lookUp(ctx: ConnectorContext, config: GoogleBusinessConfig, token: string, reviewId: string): Promise<NormalizedItem | 'removed' | null> {
  const label = 'review lookup';
  const answer = await lookUpById(ctx, 'google_business', { url: reviewUrl(config, reviewId), headers: { authorization: `Bearer ${token}` }, label });
  if (answer === 'gone') return 'removed';
  if (answer === 'unclear') return null;
  const review = answer.found;
  // A body that is not this review must not read as an edit that emptied it.
  const names = isRecord(review) ? [review.reviewId, typeof review.name === 'string' ? review.name.split('/').at(-1) : undefined] : [];
  if (!isRecord(review) || !names.includes(reviewId)) throw badPayload(`google_business ${label}: the response is not review ${reviewId}`, review);
  return reviewToItem({ ...review, reviewId });
}

/** Reviews asked for by `reviewId` (the external id `fetch` gives them), normalised as `fetch` does. */
export function recheckReviews(ctx: ConnectorContext, config: GoogleBusinessConfig, token: string, reviewIds: string[]): Promise<Recheck> {
  return recheckEach(reviewIds, (reviewId) => lookUp(ctx, config, token, reviewId));
}
