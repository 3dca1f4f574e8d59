import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_PLACE_NAME, SEED_REVIEWS } from './sandbox-content.ts';
import { escapeHtml, sendJson } from './sandbox-http.ts';

/**
 * A stand-in for Google Places (New) Place Details: the same paths, headers,
 * field-mask rule, error envelope and review shape, serving an editable list of
 * reviews. Like Google, it shows at most five, here the newest.
 */

export const REJECTED_PLACES_KEY = 'bad-key';
const SHOWN_REVIEWS = 5;

interface StoredReview {
  id: string;
  rating: number;
  text: string;
  author: string;
  publishTime: Date;
}

export interface PlacesSandbox {
  placeId: string;
  addReview(review: { rating: number; text: string; author: string }): void;
  /** Answers the request if it is for this platform; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

function googleError(res: ServerResponse, code: number, status: string, message: string, reason?: string): void {
  const details = reason === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'places.googleapis.com' } }];
  sendJson(res, code, { error: { code, message, status, details } });
}

function relativeTime(from: Date, now: Date): string {
  const hours = Math.round((now.getTime() - from.getTime()) / 3_600_000);
  if (hours < 1) return 'just now';
  if (hours < 24) return hours === 1 ? 'an hour ago' : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'a day ago' : `${days} days ago`;
}

/** Google answers with only the top-level fields the mask names; `*` means all. */
function applyFieldMask(place: Record<string, unknown>, mask: string): Record<string, unknown> {
  const fields = new Set(mask.split(',').map((field) => field.trim().split('.')[0]));
  if (fields.has('*')) return place;
  return Object.fromEntries(Object.entries(place).filter(([name]) => fields.has(name)));
}

export function createPlacesSandbox(options: { placeId: string; origin: () => string; now: () => Date }): PlacesSandbox {
  const { placeId, now } = options;
  const started = now().getTime();
  const reviews: StoredReview[] = SEED_REVIEWS.map((seed, index) => ({
    id: `demo-review-${index + 1}`,
    rating: seed.rating,
    text: seed.text,
    author: seed.author,
    publishTime: new Date(started - seed.hoursAgo * 3_600_000),
  }));

  function reviewJson(review: StoredReview, at: Date) {
    const text = { text: review.text, languageCode: 'en' };
    return {
      name: `places/${placeId}/reviews/${review.id}`,
      relativePublishTimeDescription: relativeTime(review.publishTime, at),
      rating: review.rating,
      text,
      originalText: text,
      authorAttribution: { displayName: review.author, uri: `${options.origin()}/maps/contrib/${review.id}`, photoUri: `${options.origin()}/avatar.png` },
      publishTime: review.publishTime.toISOString(),
      flagContentUri: `${options.origin()}/maps/report/${review.id}`,
      googleMapsUri: `${options.origin()}/maps/reviews/${review.id}`,
    };
  }

  function placeJson(): Record<string, unknown> {
    const at = now();
    const newest = [...reviews].sort((a, b) => b.publishTime.getTime() - a.publishTime.getTime()).slice(0, SHOWN_REVIEWS);
    const average = reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length;
    return {
      id: placeId,
      displayName: { text: DEMO_PLACE_NAME, languageCode: 'en' },
      formattedAddress: '1 Example Street, Sampletown',
      rating: Math.round(average * 10) / 10,
      userRatingCount: reviews.length,
      googleMapsUri: `${options.origin()}/maps/place/${placeId}`,
      reviews: newest.map((review) => reviewJson(review, at)),
    };
  }

  function placeDetails(req: IncomingMessage, res: ServerResponse, url: URL, requestedId: string): void {
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (typeof key !== 'string' || key === '') {
      return googleError(res, 403, 'PERMISSION_DENIED', 'The request is missing a valid API key.');
    }
    if (key === REJECTED_PLACES_KEY) {
      return googleError(res, 403, 'PERMISSION_DENIED', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID');
    }
    const mask = req.headers['x-goog-fieldmask'] ?? url.searchParams.get('fields') ?? url.searchParams.get('$fields');
    if (typeof mask !== 'string' || mask.trim() === '') {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'FieldMask is a required parameter: set the X-Goog-FieldMask header or the fields query parameter.');
    }
    if (requestedId !== placeId) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    sendJson(res, 200, applyFieldMask(placeJson(), mask));
  }

  /** The page a review's link opens, so links in demo emails lead somewhere. */
  function reviewPage(res: ServerResponse, id: string): void {
    const review = reviews.find((entry) => entry.id === id);
    if (!review) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    const stars = '★'.repeat(review.rating) + '☆'.repeat(5 - review.rating);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${DEMO_PLACE_NAME} review</title><h1>${DEMO_PLACE_NAME}</h1><p>${stars} by ${escapeHtml(review.author)}</p><p>${escapeHtml(review.text)}</p>`);
  }

  return {
    placeId,
    addReview(review) {
      reviews.push({ ...review, id: `demo-review-${reviews.length + 1}`, publishTime: now() });
    },
    handle(req, res, url) {
      const details = /^\/v1\/places\/([^/]+)$/.exec(url.pathname);
      if (details?.[1] !== undefined && req.method === 'GET') {
        placeDetails(req, res, url, decodeURIComponent(details[1]));
        return true;
      }
      const page = /^\/maps\/reviews\/([^/]+)$/.exec(url.pathname);
      if (page?.[1] !== undefined && req.method === 'GET') {
        reviewPage(res, decodeURIComponent(page[1]));
        return true;
      }
      return false;
    },
  };
}
