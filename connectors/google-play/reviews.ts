import type { NormalizedItem } from '../contract.ts';
import { badPayload, isRecord, stringOrNull } from '../payload-shape.ts';

/**
 * `reviews.list` of the Google Play Developer API (the Reply to Reviews API):
 * `{ reviews: [{ reviewId, authorName, comments: [{ userComment }, { developerComment }] }],
 *   tokenPagination: { nextPageToken } }`, the most recently created or modified
 * user comment first. Google returns only reviews with text, only for the
 * production track, and only those created or modified in the last week.
 */
export interface Review extends Record<string, unknown> {
  reviewId: string;
}

export interface ReviewsPage {
  reviews: Review[];
  nextPageToken: string | null;
}

export function readReviewsPage(body: unknown): ReviewsPage {
  const label = 'google_play reviews.list';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  // No reviews in the last week: Google sends `{}`.
  const reviews = body.reviews ?? [];
  if (!Array.isArray(reviews)) throw badPayload(`${label}: "reviews" is not a list`, body);
  for (const [index, review] of reviews.entries()) {
    if (!isRecord(review) || typeof review.reviewId !== 'string' || review.reviewId === '') {
      throw badPayload(`${label}: review ${index} has no "reviewId"`, body);
    }
    if (review.comments !== undefined && !Array.isArray(review.comments)) throw badPayload(`${label}: review ${index} has "comments" that is not a list`, body);
  }
  const pagination = body.tokenPagination;
  if (pagination !== undefined && !isRecord(pagination)) throw badPayload(`${label}: "tokenPagination" is not an object`, body);
  return { reviews: reviews as Review[], nextPageToken: stringOrNull(pagination?.nextPageToken) };
}

/** A protobuf Timestamp in JSON: `{ seconds: "1740000000" (int64 as a string, or a number), nanos }`. */
export function timestampOrNull(value: unknown): Date | null {
  if (!isRecord(value)) return null;
  const seconds = typeof value.seconds === 'string' && /^-?\d{1,12}$/.test(value.seconds) ? Number(value.seconds) : value.seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const nanos = typeof value.nanos === 'number' && Number.isFinite(value.nanos) ? value.nanos : 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
}

function comment(review: Review, kind: 'userComment' | 'developerComment'): Record<string, unknown> | null {
  const comments = Array.isArray(review.comments) ? review.comments : [];
  for (const entry of comments) if (isRecord(entry) && isRecord(entry[kind])) return entry[kind];
  return null;
}

function starRating(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
}

/**
 * Where a review once had a separate title, Google joins title and body with a tab.
 * `text` may be Google's translation; `originalText` (only then present) is what the
 * user wrote. `reviewerLanguage` is the device's language, the best there is.
 */
export function reviewToItem(review: Review, packageName: string): NormalizedItem {
  const user = comment(review, 'userComment') ?? {};
  const developer = comment(review, 'developerComment');
  const written = stringOrNull(user.originalText) ?? stringOrNull(user.text) ?? '';
  const tab = written.indexOf('\t');
  const title = tab === -1 ? null : written.slice(0, tab).trim() || null;
  const body = tab === -1 ? written : written.slice(tab + 1);
  const modified = timestampOrNull(user.lastModified);
  const replyText = developer === null ? null : stringOrNull(developer.text);
  return {
    externalId: review.reviewId,
    kind: 'review',
    url: `https://play.google.com/store/apps/details?id=${encodeURIComponent(packageName)}&reviewId=${encodeURIComponent(review.reviewId)}`,
    author: stringOrNull(review.authorName),
    rating: starRating(user.starRating),
    title,
    body,
    language: stringOrNull(user.reviewerLanguage)?.replace(/_/g, '-') ?? null,
    // Google gives only the time of the latest version: it stands for both.
    publishedAt: modified,
    updatedAt: modified,
    ownerReply: replyText === null ? null : { text: replyText, at: timestampOrNull(developer!.lastModified) },
    raw: review,
  };
}
