import type { NormalizedItem } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';
import { replyState, reportsReplyState } from './reply-state.ts';

/** One review of `accounts.locations.reviews.list` (Business Profile API v4). */
export interface BusinessReview extends Record<string, unknown> {
  reviewId: string;
}

export interface ReviewsPage {
  reviews: BusinessReview[];
  nextPageToken: string | null;
}

/** The review id: `reviewId`, or the last part of `name` (`accounts/…/locations/…/reviews/{reviewId}`). */
function reviewIdOf(review: Record<string, unknown>): string | null {
  const id = stringOrNull(review.reviewId);
  if (id !== null) return id;
  const name = stringOrNull(review.name);
  const match = name === null ? null : /\/reviews\/([^/]+)$/.exec(name);
  return match?.[1] ?? null;
}

export function readReviewsPage(body: unknown): ReviewsPage {
  const label = 'google_business reviews';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  // A location without reviews answers `{}` (or only averageRating/totalReviewCount).
  const reviews = body.reviews ?? [];
  if (!Array.isArray(reviews)) throw badPayload(`${label}: "reviews" is not a list`, body);
  const read: BusinessReview[] = [];
  for (const [index, review] of reviews.entries()) {
    const reviewId = isRecord(review) ? reviewIdOf(review) : null;
    if (reviewId === null) throw badPayload(`${label}: review ${index} has no "reviewId" or "name"`, body);
    read.push({ ...(review as Record<string, unknown>), reviewId });
  }
  if (body.nextPageToken !== undefined && typeof body.nextPageToken !== 'string') throw badPayload(`${label}: "nextPageToken" is not a string`, body);
  return { reviews: read, nextPageToken: stringOrNull(body.nextPageToken) };
}

const STARS: Record<string, number> = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 };

/** `starRating` is an enum string; STAR_RATING_UNSPECIFIED (or anything else) is no rating. */
export function starRating(value: unknown): number | null {
  return typeof value === 'string' && Object.hasOwn(STARS, value) ? STARS[value]! : null;
}

const TRANSLATED = '(Translated by Google)';
const ORIGINAL = '(Original)';

/**
 * What the customer wrote. Google puts its translation beside the original for
 * reviews in another language than the viewer's: "(Translated by Google) …
 * (Original) …", or the original first and the translation after it.
 */
export function originalComment(comment: string): string {
  const originalAt = comment.indexOf(ORIGINAL);
  if (comment.includes(TRANSLATED) && originalAt >= 0) {
    const afterOriginal = comment.slice(originalAt + ORIGINAL.length);
    const translatedAfter = afterOriginal.indexOf(TRANSLATED);
    return (translatedAfter >= 0 ? afterOriginal.slice(0, translatedAfter) : afterOriginal).trim();
  }
  const translatedAt = comment.indexOf(TRANSLATED);
  if (translatedAt > 0) return comment.slice(0, translatedAt).trim();
  return comment.trim();
}

export function reviewUpdatedAt(review: BusinessReview): Date | null {
  return dateOrNull(review.updateTime) ?? dateOrNull(review.createTime);
}

/**
 * The owner reply, with its moderation when Google reports it (ReviewReplyState, and the
 * PolicyViolation of a rejected one), so a poll can tell a reply sent from Earshot that
 * waited for moderation whether it went out or was refused.
 */
function ownerReply(value: unknown): NormalizedItem['ownerReply'] {
  if (!isRecord(value)) return null;
  const text = stringOrNull(value.comment);
  if (text === null) return null;
  const at = dateOrNull(value.updateTime);
  return reportsReplyState(value) ? { text, at, ...replyState(value) } : { text, at };
}

export function reviewToItem(review: BusinessReview): NormalizedItem {
  const reviewer = isRecord(review.reviewer) ? review.reviewer : {};
  const createdAt = dateOrNull(review.createTime);
  const updatedAt = dateOrNull(review.updateTime);
  return {
    externalId: review.reviewId,
    kind: 'review',
    // The API gives no link to a review.
    url: null,
    author: stringOrNull(reviewer.displayName),
    rating: starRating(review.starRating),
    title: null,
    // A rating without words has no comment at all.
    body: originalComment(stringOrNull(review.comment) ?? ''),
    language: null,
    publishedAt: createdAt,
    // Google sets updateTime = createTime until the review changes.
    updatedAt: updatedAt !== null && (createdAt === null || updatedAt.getTime() !== createdAt.getTime()) ? updatedAt : null,
    ownerReply: ownerReply(review.reviewReply),
    raw: review,
  };
}
