import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBlueskySandbox, SANDBOX_BLUESKY_APP_PASSWORD, SANDBOX_BLUESKY_IDENTIFIER, type ReceivedPostReply } from './sandbox-bluesky.ts';
import {
  createGoogleBusinessSandbox,
  SANDBOX_GOOGLE_ACCOUNT_ID,
  SANDBOX_GOOGLE_CREDENTIALS,
  SANDBOX_GOOGLE_LOCATION_ID,
  type ReceivedReviewReply,
} from './sandbox-google-business.ts';
import { sendJson } from './sandbox-http.ts';
import { createPlacesSandbox } from './sandbox-places.ts';
import { createTrustpilotSandbox, SANDBOX_TRUSTPILOT_BUSINESS_UNIT_ID } from './sandbox-trustpilot.ts';
import { createYelpSandbox, SANDBOX_YELP_BUSINESS_ID } from './sandbox-yelp.ts';

/**
 * One loopback server that answers like Google Places, Google Business Profile,
 * Bluesky, Yelp and Trustpilot, for `npm run demo` and tests: real paths, response
 * shapes and errors, invented content, and state, so reviews and posts added later
 * show up on the next poll, and replies to Google reviews and Bluesky posts are taken
 * and shown. Connectors reach it through their `baseUrl`, with private URLs allowed.
 */

export const sandboxCredentials = {
  /** Any key is accepted except `bad-key`, which gets Google's 403. */
  googlePlaces: { apiKey: 'demo-places-key' },
  /** Only these are accepted; refresh token `bad-token` gets Google's invalid_grant. */
  googleBusiness: SANDBOX_GOOGLE_CREDENTIALS,
  bluesky: { identifier: SANDBOX_BLUESKY_IDENTIFIER, appPassword: SANDBOX_BLUESKY_APP_PASSWORD },
  /** Any key is accepted except `bad-key`, which gets Yelp's 401 TOKEN_INVALID. */
  yelp: { apiKey: 'demo-yelp-key' },
  /** Any key is accepted except `bad-key`, which gets Trustpilot's 401. */
  trustpilot: { apiKey: 'demo-trustpilot-key' },
} as const;

export const SANDBOX_PLACE_ID = 'ChIJDemoBistro0000000000';

export interface PlatformSandbox {
  url: string;
  placeId: string;
  addReview(review: { rating: number; text: string; author: string }): void;
  /** The owner's Business Profile location: its config for a google_business source, beside `baseUrl` and `tokenBaseUrl`. */
  googleBusiness: { accountId: string; locationId: string };
  /** A review on the Business Profile (the same place as Places, read with the owner's access). */
  addBusinessReview(review: { rating: number; text: string; author: string }): void;
  businessReviewIdOf(author: string): string | undefined;
  /** The reply writes Google Business Profile received (PUT and DELETE …/reply), in order. */
  businessReplies: readonly ReceivedReviewReply[];
  addPost(post: { text: string; author: string }): void;
  postUriOf(author: string): string | undefined;
  /** The replies Bluesky was asked to post or delete, in order. */
  blueskyReplies: readonly ReceivedPostReply[];
  yelpBusinessId: string;
  addYelpReview(review: { rating: number; text: string; author: string }): void;
  trustpilotBusinessUnitId: string;
  addTrustpilotReview(review: { rating: number; text: string; author: string }): void;
  stop(): Promise<void>;
}

export async function startPlatformSandbox(options: { port?: number; host?: string } = {}): Promise<PlatformSandbox> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const now = () => new Date();
  const places = createPlacesSandbox({ placeId: SANDBOX_PLACE_ID, origin: () => origin, now });
  const business = createGoogleBusinessSandbox({ origin: () => origin, now });
  const bluesky = createBlueskySandbox({ now });
  const yelp = createYelpSandbox({ origin: () => origin, now });
  const trustpilot = createTrustpilotSandbox({ origin: () => origin, now });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const answer = async () => {
      if (places.handle(req, res, url)) return;
      if (await business.handle(req, res, url)) return;
      if (await bluesky.handle(req, res, url)) return;
      if (yelp.handle(req, res, url)) return;
      if (trustpilot.handle(req, res, url)) return;
      sendJson(res, 404, { error: 'NotFound', message: `nothing at ${url.pathname}` });
    };
    answer().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'InternalServerError', message: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    placeId: SANDBOX_PLACE_ID,
    addReview: places.addReview,
    googleBusiness: { accountId: SANDBOX_GOOGLE_ACCOUNT_ID, locationId: SANDBOX_GOOGLE_LOCATION_ID },
    addBusinessReview: business.addReview,
    businessReviewIdOf: business.reviewIdOf,
    businessReplies: business.received,
    addPost: bluesky.addPost,
    postUriOf: bluesky.postUriOf,
    blueskyReplies: bluesky.received,
    yelpBusinessId: SANDBOX_YELP_BUSINESS_ID,
    addYelpReview: yelp.addReview,
    trustpilotBusinessUnitId: SANDBOX_TRUSTPILOT_BUSINESS_UNIT_ID,
    addTrustpilotReview: trustpilot.addReview,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
