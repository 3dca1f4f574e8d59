import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_PLACE_NAME, SEED_REVIEWS } from './sandbox-content.ts';
import { sendJson } from './sandbox-http.ts';

/**
 * A stand-in for Trustpilot's business-unit reviews: the same path, `apikey`
 * header, paging (`page`, `perPage`, `links[]` with next-page / prev-page) and
 * review shape, newest first. The company has answered one seeded review.
 */

export const SANDBOX_TRUSTPILOT_BUSINESS_UNIT_ID = '5d0000000000000000de7001';
export const REJECTED_TRUSTPILOT_KEY = 'bad-key';

interface StoredReview {
  id: string;
  stars: number;
  text: string;
  author: string;
  createdAt: Date;
  companyReply: { text: string; createdAt: Date } | null;
}

export interface TrustpilotSandbox {
  addReview(review: { rating: number; text: string; author: string }): void;
  /** Answers the request if it is for this platform; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const reviewId = (n: number) => `66de${String(n).padStart(20, '0')}`;

function title(text: string): string {
  const first = text.split(/[.!?;]/)[0]!.trim();
  return first.length <= 60 ? first : `${first.slice(0, 57).trimEnd()}…`;
}

export function createTrustpilotSandbox(options: { origin: () => string; now: () => Date }): TrustpilotSandbox {
  const started = options.now().getTime();
  const reviews: StoredReview[] = SEED_REVIEWS.map((seed, index) => ({
    id: reviewId(index + 1),
    stars: seed.rating,
    text: seed.text,
    author: seed.author,
    createdAt: new Date(started - seed.hoursAgo * 3_600_000),
    companyReply: null,
  }));
  // The owner already answered the 2★ review.
  const answered = reviews.find((review) => review.stars === 2);
  if (answered) answered.companyReply = { text: 'Sorry about the wait; we have added a second cook on weekday evenings.', createdAt: new Date(answered.createdAt.getTime() + 3 * 3_600_000) };

  function reviewJson(review: StoredReview) {
    return {
      id: review.id,
      consumer: { id: `64de${review.id.slice(4)}`, displayName: review.author, displayLocation: 'Sampletown', numberOfReviews: 3 },
      businessUnit: { id: SANDBOX_TRUSTPILOT_BUSINESS_UNIT_ID, identifyingName: 'demobistro.example', displayName: DEMO_PLACE_NAME },
      stars: review.stars,
      title: title(review.text),
      text: review.text,
      language: 'en',
      createdAt: review.createdAt.toISOString(),
      updatedAt: null,
      experiencedAt: review.createdAt.toISOString(),
      companyReply:
        review.companyReply === null
          ? null
          : { text: review.companyReply.text, authorBusinessUserId: '5b00000000000000000de700', authorBusinessUserName: `${DEMO_PLACE_NAME} team`, createdAt: review.companyReply.createdAt.toISOString(), updatedAt: null },
      isVerified: false,
      numberOfLikes: 0,
      status: 'active',
      links: [{ href: `${options.origin()}/v1/reviews/${review.id}`, method: 'GET', rel: 'reviews' }],
    };
  }

  function businessUnitReviews(req: IncomingMessage, res: ServerResponse, url: URL, unitId: string): void {
    const key = req.headers.apikey ?? url.searchParams.get('apikey');
    if (typeof key !== 'string' || key === '' || key === REJECTED_TRUSTPILOT_KEY) return sendJson(res, 401, { fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } });
    if (unitId !== SANDBOX_TRUSTPILOT_BUSINESS_UNIT_ID) return sendJson(res, 404, { message: 'Business unit not found', errorCode: 404 });
    const perPage = Math.min(Math.max(Number(url.searchParams.get('perPage') ?? 20), 1), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
    const sorted = [...reviews].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const link = (rel: string, to: number) => {
      const target = new URL(url.pathname, options.origin());
      target.searchParams.set('page', String(to));
      target.searchParams.set('perPage', String(perPage));
      return { href: target.toString(), method: 'GET', rel };
    };
    const links = [...(page > 1 ? [link('prev-page', page - 1)] : []), ...(page * perPage < sorted.length ? [link('next-page', page + 1)] : [])];
    sendJson(res, 200, { links, reviews: sorted.slice((page - 1) * perPage, page * perPage).map(reviewJson) });
  }

  return {
    addReview(review) {
      reviews.push({ id: reviewId(reviews.length + 1), stars: review.rating, text: review.text, author: review.author, createdAt: options.now(), companyReply: null });
    },
    handle(req, res, url) {
      const match = /^\/v1\/business-units\/([^/]+)\/reviews$/.exec(url.pathname);
      if (match?.[1] === undefined || req.method !== 'GET') return false;
      businessUnitReviews(req, res, url, decodeURIComponent(match[1]));
      return true;
    },
  };
}
