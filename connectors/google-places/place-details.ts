import type { NormalizedItem } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/** The parts of a Place Details (New) response Earshot reads. */
export interface PlaceDetails {
  googleMapsUri: string | null;
  reviews: PlaceReview[];
}

export interface PlaceReview extends Record<string, unknown> {
  /** `places/{placeId}/reviews/{reviewId}`: the review's stable id. */
  name: string;
}

export function readPlaceDetails(body: unknown): PlaceDetails {
  if (!isRecord(body)) throw badPayload('google_places place details: the response is not a JSON object', body);
  const reviews = body.reviews ?? [];
  if (!Array.isArray(reviews)) throw badPayload('google_places place details: "reviews" is not a list', body);
  for (const [index, review] of reviews.entries()) {
    if (!isRecord(review) || typeof review.name !== 'string' || review.name === '') {
      throw badPayload(`google_places place details: review ${index} has no "name"`, body);
    }
  }
  return { googleMapsUri: stringOrNull(body.googleMapsUri), reviews: reviews as PlaceReview[] };
}

function localizedText(value: unknown): { text: string | null; languageCode: string | null } {
  if (!isRecord(value)) return { text: null, languageCode: null };
  return { text: stringOrNull(value.text), languageCode: stringOrNull(value.languageCode) };
}

function starRating(value: unknown): number | null {
  return typeof value === 'number' && value >= 1 && value <= 5 ? value : null;
}

/** `text` may be Google's translation; `originalText` is what the customer wrote. */
export function reviewToItem(review: PlaceReview, place: PlaceDetails): NormalizedItem {
  const original = localizedText(review.originalText);
  const shown = localizedText(review.text);
  const attribution = isRecord(review.authorAttribution) ? review.authorAttribution : {};
  return {
    externalId: review.name,
    kind: 'review',
    url: stringOrNull(review.googleMapsUri) ?? place.googleMapsUri,
    author: stringOrNull(attribution.displayName),
    rating: starRating(review.rating),
    title: null,
    // A rating without words has no text at all.
    body: original.text ?? shown.text ?? '',
    language: original.languageCode ?? shown.languageCode,
    publishedAt: dateOrNull(review.publishTime),
    updatedAt: null,
    ownerReply: null,
    raw: review,
  };
}
