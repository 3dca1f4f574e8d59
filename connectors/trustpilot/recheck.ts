import type { ConnectorContext, NormalizedItem, Recheck } from '../contract.ts';
import { lookUpById, recheckEach } from '../lookup-by-id.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { reviewToItem } from './reviews.ts';
import type { TrustpilotConfig, TrustpilotCredentials } from './settings.ts';

/**
 * One review as Trustpilot shows it now (`GET /v1/reviews/{reviewId}`, "Get a review",
 * API key). UNVERIFIED: no recorded answer of this endpoint exists (see
 * shared/connector-apis.md §4); it is read as the same review object the business-unit
 * listing gives, and 404/410 as a review that no longer exists, which Trustpilot's docs
 * do not state. A 403 says nothing about the review.
 */
async function lookUp(ctx: ConnectorContext, config: TrustpilotConfig, credentials: TrustpilotCredentials, reviewId: string): Promise<NormalizedItem | 'removed' | null> {
  const label = 'review lookup';
  const answer = await lookUpById(ctx, 'trustpilot', { url: `${config.baseUrl}/v1/reviews/${encodeURIComponent(reviewId)}`, headers: { apikey: credentials.apiKey }, label });
  if (answer === 'gone') return 'removed';
  if (answer === 'unclear') return null;
  const review = answer.found;
  // The shape is unverified: a body that is not this review (say, one wrapped in an envelope)
  // must fail loudly rather than read as an edit that emptied the review.
  if (!isRecord(review) || review.id !== reviewId) throw badPayload(`trustpilot ${label}: the response is not review ${reviewId}`, review);
  return reviewToItem({ ...review, id: reviewId });
}

/** Reviews asked for by id (the external id `fetch` gives them), normalised as `fetch` does. */
export function recheckReviews(ctx: ConnectorContext, config: TrustpilotConfig, credentials: TrustpilotCredentials, reviewIds: string[]): Promise<Recheck> {
  return recheckEach(reviewIds, (reviewId) => lookUp(ctx, config, credentials, reviewId));
}
