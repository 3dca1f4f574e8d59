import type { IncomingMessage, ServerResponse } from 'node:http';
import { SEED_REVIEWS } from './sandbox-content.ts';
import { sendJson } from './sandbox-http.ts';

/**
 * A stand-in for Yelp Fusion's business reviews: the same path, Bearer key, error
 * envelope and review shape. Like a standard Yelp plan it shows three excerpts,
 * the newest, with `time_created` in Pacific time without a zone.
 */

export const SANDBOX_YELP_BUSINESS_ID = 'demo-bistro-sampletown';
export const REJECTED_YELP_KEY = 'bad-key';
const SHOWN_REVIEWS = 3;
const EXCERPT_CHARS = 160;

interface StoredReview {
  id: string;
  rating: number;
  text: string;
  author: string;
  createdAt: Date;
}

export interface YelpSandbox {
  addReview(review: { rating: number; text: string; author: string }): void;
  /** Answers the request if it is for this platform; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const pacific = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function yelpError(res: ServerResponse, status: number, code: string, description: string): void {
  sendJson(res, status, { error: { code, description } });
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS).trimEnd()}...`;
}

export function createYelpSandbox(options: { origin: () => string; now: () => Date }): YelpSandbox {
  const started = options.now().getTime();
  const reviews: StoredReview[] = SEED_REVIEWS.map((seed, index) => ({
    id: `DemoYelpReview${String(index + 1).padStart(8, '0')}`,
    rating: seed.rating,
    text: seed.text,
    author: seed.author.replace(/ (\w)\w*$/, ' $1.'),
    createdAt: new Date(started - seed.hoursAgo * 3_600_000),
  }));

  function reviewJson(review: StoredReview) {
    const userId = `DemoYelpUser${review.id.slice(-8)}`;
    return {
      id: review.id,
      url: `${options.origin()}/biz/${SANDBOX_YELP_BUSINESS_ID}?hrid=${review.id}&utm_campaign=yelp_api_v3&utm_medium=api_v3_business_reviews`,
      text: excerpt(review.text),
      rating: review.rating,
      time_created: pacific.format(review.createdAt),
      user: { id: userId, profile_url: `${options.origin()}/user_details?userid=${userId}`, image_url: null, name: review.author },
    };
  }

  function businessReviews(req: IncomingMessage, res: ServerResponse, url: URL, businessId: string): void {
    const authorization = req.headers.authorization;
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ') || authorization.length === 'Bearer '.length) {
      return yelpError(res, 400, 'TOKEN_MISSING', 'An access token must be supplied in order to use this endpoint.');
    }
    if (authorization === `Bearer ${REJECTED_YELP_KEY}`) return yelpError(res, 401, 'TOKEN_INVALID', 'Invalid access token or authorization header.');
    if (businessId !== SANDBOX_YELP_BUSINESS_ID) return yelpError(res, 404, 'BUSINESS_NOT_FOUND', 'The requested business could not be found.');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), SHOWN_REVIEWS);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const shown = [...reviews].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, SHOWN_REVIEWS);
    sendJson(res, 200, { reviews: shown.slice(offset, offset + limit).map(reviewJson), total: reviews.length, possible_languages: ['en'] });
  }

  return {
    addReview(review) {
      reviews.push({ ...review, id: `DemoYelpReview${String(reviews.length + 1).padStart(8, '0')}`, createdAt: options.now() });
    },
    handle(req, res, url) {
      const match = /^\/v3\/businesses\/([^/]+)\/reviews$/.exec(url.pathname);
      if (match?.[1] === undefined || req.method !== 'GET') return false;
      businessReviews(req, res, url, decodeURIComponent(match[1]));
      return true;
    },
  };
}
