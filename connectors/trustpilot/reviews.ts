import type { NormalizedItem } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/** One review of `GET /v1/business-units/{id}/reviews`. */
export interface TrustpilotReview extends Record<string, unknown> {
  id: string;
}

export interface ReviewsPage {
  reviews: TrustpilotReview[];
  /** Whether Trustpilot links a next page; null when the response has no `links`. */
  hasNextPage: boolean | null;
}

export function readReviewsPage(body: unknown): ReviewsPage {
  const label = 'trustpilot business-unit reviews';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  const reviews = body.reviews ?? [];
  if (!Array.isArray(reviews)) throw badPayload(`${label}: "reviews" is not a list`, body);
  for (const [index, review] of reviews.entries()) {
    if (!isRecord(review) || typeof review.id !== 'string' || review.id === '') throw badPayload(`${label}: review ${index} has no "id"`, body);
  }
  const links = Array.isArray(body.links) ? body.links : null;
  return {
    reviews: reviews as TrustpilotReview[],
    hasNextPage: links === null ? null : links.some((link) => isRecord(link) && link.rel === 'next-page'),
  };
}

export function reviewCreatedAt(review: TrustpilotReview): Date | null {
  return dateOrNull(review.createdAt);
}

function stars(value: unknown): number | null {
  const rating = typeof value === 'string' ? Number(value) : value;
  return typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null;
}

/** The company's public reply; its time is when it was first posted (what response times count from). */
function companyReply(value: unknown): NormalizedItem['ownerReply'] {
  if (!isRecord(value)) return null;
  const text = stringOrNull(value.text);
  if (text === null) return null;
  return { text, at: dateOrNull(value.createdAt) ?? dateOrNull(value.updatedAt) };
}

export function reviewToItem(review: TrustpilotReview): NormalizedItem {
  const consumer = isRecord(review.consumer) ? review.consumer : {};
  return {
    externalId: review.id,
    kind: 'review',
    url: `https://www.trustpilot.com/reviews/${encodeURIComponent(review.id)}`,
    author: stringOrNull(consumer.displayName),
    rating: stars(review.stars),
    title: stringOrNull(review.title),
    body: stringOrNull(review.text) ?? '',
    language: stringOrNull(review.language),
    publishedAt: reviewCreatedAt(review),
    // Null unless the consumer edited the review.
    updatedAt: dateOrNull(review.updatedAt),
    ownerReply: companyReply(review.companyReply),
    raw: review,
  };
}
