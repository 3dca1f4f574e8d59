import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_PLACE_NAME, SEED_REVIEWS } from './sandbox-content.ts';
import { escapeHtml, readBody, sendJson } from './sandbox-http.ts';

/**
 * A stand-in for the Google Business Profile API (v4) of the owner's own location, with
 * Google's OAuth token endpoint: `POST /token` (refresh token grant, form-encoded),
 * `reviews.list` (pageSize, pageToken, newest update first), `reviews.get`, and
 * `PUT`/`DELETE …/reviews/{id}/reply`, which answers the ReviewReply as Google does.
 * Replies are approved at once; the review then reports the reply's moderation state
 * and its link, as Google does since 2026.
 */

export const SANDBOX_GOOGLE_ACCOUNT_ID = '1100220033';
export const SANDBOX_GOOGLE_LOCATION_ID = '4400550066';
export const SANDBOX_GOOGLE_CREDENTIALS = {
  clientId: 'demo-client.apps.googleusercontent.com',
  clientSecret: 'demo-client-secret',
  refreshToken: 'demo-refresh-token',
} as const;
/** The refresh token Google answers `invalid_grant`, as for a revoked one. */
export const REJECTED_GOOGLE_REFRESH_TOKEN = 'bad-token';

// Google's largest page, and its documented limit on a reply's comment.
const MAX_PAGE_SIZE = 50;
const MAX_COMMENT_BYTES = 4096;
const STARS = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'] as const;
const REVIEWS_PATH = `/v4/accounts/${SANDBOX_GOOGLE_ACCOUNT_ID}/locations/${SANDBOX_GOOGLE_LOCATION_ID}/reviews`;

interface StoredReview {
  id: string;
  rating: number;
  text: string;
  author: string;
  createTime: Date;
  reply: { comment: string; updateTime: Date } | null;
}

/** A reply the sandbox was asked to write, in the order received. */
export interface ReceivedReviewReply {
  reviewId: string;
  method: 'PUT' | 'DELETE';
  comment: string | null;
}

export interface GoogleBusinessSandbox {
  addReview(review: { rating: number; text: string; author: string }): void;
  /** The id of the first review by this author, for tests that reply to it. */
  reviewIdOf(author: string): string | undefined;
  received: readonly ReceivedReviewReply[];
  /** Answers the request if it is for this platform; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

function googleError(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } });
}

/** Opaque, stable ids in the style of Google's review ids. */
const reviewIdFor = (n: number) => `AbFvOqDemo${String(n).padStart(6, '0')}Review`;

export function createGoogleBusinessSandbox(options: { origin: () => string; now: () => Date }): GoogleBusinessSandbox {
  const { now } = options;
  const started = now().getTime();
  const tokens = new Set<string>();
  const received: ReceivedReviewReply[] = [];
  const reviews: StoredReview[] = SEED_REVIEWS.map((seed, index) => ({
    id: reviewIdFor(index + 1),
    rating: seed.rating,
    text: seed.text,
    author: seed.author,
    createTime: new Date(started - seed.hoursAgo * 3_600_000),
    reply: null,
  }));

  // Reviews are never edited here, so a review's last update is its creation.
  const updateTime = (review: StoredReview) => review.createTime;
  const replyPage = (review: StoredReview) => `${options.origin()}/business/reviews/${review.id}`;

  function reviewJson(review: StoredReview) {
    return {
      name: `accounts/${SANDBOX_GOOGLE_ACCOUNT_ID}/locations/${SANDBOX_GOOGLE_LOCATION_ID}/reviews/${review.id}`,
      reviewId: review.id,
      reviewer: { displayName: review.author, profilePhotoUrl: `${options.origin()}/avatar.png`, isAnonymous: false },
      starRating: STARS[review.rating - 1],
      comment: review.text,
      createTime: review.createTime.toISOString(),
      updateTime: updateTime(review).toISOString(),
      ...(review.reply === null
        ? {}
        : {
            reviewReply: { comment: review.reply.comment, updateTime: review.reply.updateTime.toISOString(), reviewReplyState: 'APPROVED' },
            reviewReplyUrl: replyPage(review),
          }),
    };
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'refresh_token') return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    if (form.get('client_id') !== SANDBOX_GOOGLE_CREDENTIALS.clientId || form.get('client_secret') !== SANDBOX_GOOGLE_CREDENTIALS.clientSecret) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    if (form.get('refresh_token') !== SANDBOX_GOOGLE_CREDENTIALS.refreshToken) {
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.add(accessToken);
    sendJson(res, 200, { access_token: accessToken, expires_in: 3599, scope: 'https://www.googleapis.com/auth/business.manage', token_type: 'Bearer' });
  }

  function list(res: ServerResponse, url: URL): void {
    const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? MAX_PAGE_SIZE), MAX_PAGE_SIZE);
    if (!Number.isInteger(pageSize) || pageSize < 1) return googleError(res, 400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    const pageToken = url.searchParams.get('pageToken');
    const offset = pageToken === null ? 0 : Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid page token.');
    const newest = [...reviews].sort((a, b) => updateTime(b).getTime() - updateTime(a).getTime());
    const page = newest.slice(offset, offset + pageSize);
    const next = offset + pageSize < newest.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : undefined;
    const average = reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length;
    sendJson(res, 200, {
      reviews: page.map(reviewJson),
      averageRating: Math.round(average * 10) / 10,
      totalReviewCount: reviews.length,
      ...(next === undefined ? {} : { nextPageToken: next }),
    });
  }

  async function putReply(req: IncomingMessage, res: ServerResponse, review: StoredReview): Promise<void> {
    let comment: unknown;
    try {
      ({ comment } = JSON.parse(await readBody(req)) as { comment?: unknown });
    } catch {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    if (typeof comment !== 'string' || comment.trim() === '') return googleError(res, 400, 'INVALID_ARGUMENT', 'Request contains an invalid argument: comment is required.');
    if (Buffer.byteLength(comment) > MAX_COMMENT_BYTES) return googleError(res, 400, 'INVALID_ARGUMENT', `Request contains an invalid argument: comment is longer than ${MAX_COMMENT_BYTES} bytes.`);
    received.push({ reviewId: review.id, method: 'PUT', comment });
    review.reply = { comment, updateTime: now() };
    // The ReviewReply, as the PUT answers it; its moderation state is read on the review.
    sendJson(res, 200, { comment, updateTime: review.reply.updateTime.toISOString() });
  }

  /** The page a reply's link opens, so the demo's links lead somewhere. */
  function reviewPage(res: ServerResponse, id: string): void {
    const review = reviews.find((entry) => entry.id === id);
    if (!review) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    const stars = '★'.repeat(review.rating) + '☆'.repeat(5 - review.rating);
    const reply = review.reply === null ? '' : `<h2>Response from the owner</h2><p>${escapeHtml(review.reply.comment)}</p>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${DEMO_PLACE_NAME} review</title><h1>${DEMO_PLACE_NAME}</h1><p>${stars} by ${escapeHtml(review.author)}</p><p>${escapeHtml(review.text)}</p>${reply}`);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const accessToken = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (accessToken === undefined || !tokens.has(accessToken)) {
      return googleError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    }
    if (url.pathname === REVIEWS_PATH && req.method === 'GET') return list(res, url);
    const [, id, replyPart] = /^\/v4\/accounts\/[^/]+\/locations\/[^/]+\/reviews\/([^/]+)(\/reply)?$/.exec(url.pathname) ?? [];
    const review = url.pathname.startsWith(`${REVIEWS_PATH}/`) ? reviews.find((entry) => entry.id === decodeURIComponent(id ?? '')) : undefined;
    if (review === undefined) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    if (replyPart === undefined && req.method === 'GET') return sendJson(res, 200, reviewJson(review));
    if (replyPart !== undefined && req.method === 'PUT') return putReply(req, res, review);
    if (replyPart !== undefined && req.method === 'DELETE') {
      received.push({ reviewId: review.id, method: 'DELETE', comment: null });
      review.reply = null;
      return sendJson(res, 200, {});
    }
    googleError(res, 405, 'METHOD_NOT_ALLOWED', `Method ${req.method ?? ''} is not allowed here.`);
  }

  return {
    addReview(review) {
      reviews.push({ ...review, id: reviewIdFor(reviews.length + 1), createTime: now(), reply: null });
    },
    reviewIdOf: (author) => reviews.find((review) => review.author === author)?.id,
    received,
    async handle(req, res, url) {
      if (url.pathname === '/token' && req.method === 'POST') await token(req, res);
      else if (url.pathname.startsWith('/v4/accounts/')) await api(req, res, url);
      else if (url.pathname.startsWith('/business/reviews/') && req.method === 'GET') reviewPage(res, decodeURIComponent(url.pathname.slice('/business/reviews/'.length)));
      else return false;
      return true;
    },
  };
}
