import nock from 'nock';
import type { Db } from '../../db/database.ts';
import { createSource } from '../../services/sources/store-source.ts';
import type { CredentialsKey } from '../../services/sources/credentials.ts';
import token from '../fixtures/google-business/token.json' with { type: 'json' };

/** A Google Business Profile location, answered by nock in the replies tests. */
export const GOOGLE_API = 'https://mybusiness.googleapis.com';
export const GOOGLE_OAUTH = 'https://oauth2.googleapis.com';
const REVIEWS = '/v4/accounts/1122334455/locations/9988776655/reviews';
export const GOOGLE_CONFIG = { accountId: '1122334455', locationId: '9988776655' };
export const GOOGLE_CREDENTIALS = { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-SyntheticSecret000', refreshToken: '1//0gSyntheticRefreshToken' };

export function reviewPath(reviewId: string): string {
  return `${REVIEWS}/${reviewId}`;
}

/** A google_business source of the business, with credentials that read and reply. */
export async function googleSource(
  db: Db,
  credentialsKey: CredentialsKey,
  owner: { accountId: string; businessId: string },
  config: Record<string, unknown> = GOOGLE_CONFIG,
): Promise<string> {
  const source = await createSource(db, credentialsKey, {
    ...owner,
    type: 'google_business',
    config,
    credentials: GOOGLE_CREDENTIALS,
    pollEveryMinutes: 60,
    scheduled: false,
  });
  return source.id;
}

/** Any number of access-token refreshes. */
export function tokens(): nock.Scope {
  return nock(GOOGLE_OAUTH).post('/token').reply(200, token).persist();
}

/** Pat's 1-star review as the v4 API sends it, with the ReviewReply under it (null: none). */
export function googleReview(reviewId: string, reviewReply: Record<string, unknown> | null): Record<string, unknown> {
  return {
    name: `accounts/1122334455/locations/9988776655/reviews/${reviewId}`,
    reviewId,
    reviewer: { displayName: 'Pat' },
    starRating: 'ONE',
    comment: 'Cold soup, rude waiter.',
    createTime: '2026-03-01T10:00:00Z',
    updateTime: '2026-03-01T10:00:00Z',
    ...(reviewReply && { reviewReply }),
  };
}

/** The review as Google shows it now, with the owner reply it has (null: none). */
export function reviewShows(reviewId: string, reply: { comment: string; updateTime?: string } | null, times = 1): nock.Scope {
  const review = googleReview(reviewId, reply && { comment: reply.comment, updateTime: reply.updateTime ?? '2026-03-01T11:00:00Z' });
  return nock(GOOGLE_API).get(reviewPath(reviewId)).times(times).reply(200, review);
}

/**
 * Google takes the reply (PUT …/reply) and answers the ReviewReply, dated when it arrives,
 * with a moderation state when given. `puts()`: how many PUTs it answered (it answers any number).
 */
export function replyAccepted(reviewId: string, expected?: string, extra: Record<string, unknown> = {}): nock.Scope & { puts(): number } {
  let puts = 0;
  const scope = nock(GOOGLE_API)
    .put(`${reviewPath(reviewId)}/reply`, (body: { comment: string }) => expected === undefined || body.comment === expected)
    .times(Number.MAX_SAFE_INTEGER)
    .reply(() => {
      puts++;
      return [200, { comment: expected ?? 'the reply', updateTime: new Date().toISOString(), ...extra }];
    });
  return Object.assign(scope, { puts: () => puts });
}
