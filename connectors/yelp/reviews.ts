import type { NormalizedItem } from '../contract.ts';
import { badPayload, isRecord, stringOrNull } from '../payload-shape.ts';
import { pacificTimeToUtc } from './pacific-time.ts';

/** One review from `GET /v3/businesses/{id}/reviews`: `id`, `url`, `text`, `rating`, `time_created`, `user`. */
export interface YelpReview extends Record<string, unknown> {
  id: string;
}

export interface ReviewsResponse {
  reviews: YelpReview[];
  /** The business's review count on Yelp, far more than the API hands out on most plans. */
  total: number | null;
}

export function readReviewsResponse(body: unknown): ReviewsResponse {
  const label = 'yelp business reviews';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  const reviews = body.reviews ?? [];
  if (!Array.isArray(reviews)) throw badPayload(`${label}: "reviews" is not a list`, body);
  for (const [index, review] of reviews.entries()) {
    if (!isRecord(review) || typeof review.id !== 'string' || review.id === '') throw badPayload(`${label}: review ${index} has no "id"`, body);
  }
  return { reviews: reviews as YelpReview[], total: typeof body.total === 'number' ? body.total : null };
}

export function reviewCreatedAt(review: YelpReview): Date | null {
  return pacificTimeToUtc(review.time_created);
}

function starRating(value: unknown): number | null {
  const rating = typeof value === 'string' ? Number(value) : value;
  return typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null;
}

/**
 * Yelp gives an excerpt of the review (about 160 characters, ending "..."), never the
 * whole text, and no language, edit time or owner reply. The language is the one the
 * source asked for with `locale`, if any.
 */
export function reviewToItem(review: YelpReview, locale: string | undefined): NormalizedItem {
  const user = isRecord(review.user) ? review.user : {};
  return {
    externalId: review.id,
    kind: 'review',
    url: stringOrNull(review.url),
    author: stringOrNull(user.name),
    rating: starRating(review.rating),
    title: null,
    body: stringOrNull(review.text) ?? '',
    language: locale === undefined ? null : locale.slice(0, 2),
    publishedAt: reviewCreatedAt(review),
    updatedAt: null,
    ownerReply: null,
    raw: review,
  };
}
