import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBlueskySandbox, SANDBOX_BLUESKY_APP_PASSWORD, SANDBOX_BLUESKY_IDENTIFIER } from './sandbox-bluesky.ts';
import { sendJson } from './sandbox-http.ts';
import { createPlacesSandbox } from './sandbox-places.ts';

/**
 * One loopback server that answers like Google Places and Bluesky, for `npm run
 * demo` and tests: real paths, response shapes and errors, invented content,
 * and state, so reviews and posts added later show up on the next poll.
 * Connectors reach it through their `baseUrl`, with private URLs allowed.
 */

export const sandboxCredentials = {
  /** Any key is accepted except `bad-key`, which gets Google's 403. */
  googlePlaces: { apiKey: 'demo-places-key' },
  bluesky: { identifier: SANDBOX_BLUESKY_IDENTIFIER, appPassword: SANDBOX_BLUESKY_APP_PASSWORD },
} as const;

export const SANDBOX_PLACE_ID = 'ChIJDemoBistro0000000000';

export interface PlatformSandbox {
  url: string;
  placeId: string;
  addReview(review: { rating: number; text: string; author: string }): void;
  addPost(post: { text: string; author: string }): void;
  stop(): Promise<void>;
}

export async function startPlatformSandbox(options: { port?: number; host?: string } = {}): Promise<PlatformSandbox> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const now = () => new Date();
  const places = createPlacesSandbox({ placeId: SANDBOX_PLACE_ID, origin: () => origin, now });
  const bluesky = createBlueskySandbox({ now });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const answer = async () => {
      if (places.handle(req, res, url)) return;
      if (await bluesky.handle(req, res, url)) return;
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
    addPost: bluesky.addPost,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
