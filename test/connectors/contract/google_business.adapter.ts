import nock from 'nock';
import { googleBusiness } from '../../../connectors/google-business/index.ts';
import type { ContractAdapter, FakeItem, FakeOwnerReply, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://mybusiness.googleapis.test';
const TOKEN_ORIGIN = 'https://oauth2.googleapis.test';
const ACCOUNT = '1029384756';
const LOCATION = '5647382910';
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const STARS = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'];

const reviewId = (fakeId: string) => `AbFvOqSynth${fakeId}Review`;
const fakeIdOf = (id: string) => /^AbFvOqSynth(.+)Review$/.exec(id)?.[1] ?? '';
const REVIEWS = `/v4/accounts/${ACCOUNT}/locations/${LOCATION}/reviews`;
/** The review id in a request's path, by `pattern`'s first group. */
const idIn = (request: Request, pattern: RegExp) => decodeURIComponent(pattern.exec(new URL(request.url).pathname)?.[1] ?? '');
const MODERATION = { published: 'APPROVED', pending_moderation: 'PENDING', rejected: 'REJECTED' } as const;

/** A ReviewReply, with its moderation state and policy violation as Google reports them since 2026. */
function renderReply(reply: FakeOwnerReply) {
  return {
    comment: reply.text,
    updateTime: reply.at.toISOString(),
    ...(reply.state === undefined ? {} : { reviewReplyState: MODERATION[reply.state] }),
    ...(reply.state === 'rejected' ? { policyViolation: { type: 'PERSONAL_INFORMATION', description: reply.reason } } : {}),
  };
}

/** A review as the v4 API sends it: enum stars, no language, no link. */
function renderReview(item: FakeItem) {
  const id = reviewId(item.id);
  return {
    name: `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/${id}`,
    reviewId: id,
    reviewer: { displayName: item.author, profilePhotoUrl: 'https://lh3.googleusercontent.com/a/synthetic-photo', isAnonymous: false },
    starRating: STARS[item.rating - 1],
    comment: item.text,
    createTime: item.publishedAt.toISOString(),
    updateTime: (item.updatedAt ?? item.publishedAt).toISOString(),
    ...(item.ownerReply === null ? {} : { reviewReply: renderReply(item.ownerReply) }),
  };
}

export const adapter: ContractAdapter = {
  connector: googleBusiness,
  config: { accountId: ACCOUNT, locationId: LOCATION, baseUrl: ORIGIN, tokenBaseUrl: TOKEN_ORIGIN },
  credentials: { clientId: 'synthetic-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-synthetic-secret', refreshToken: '1//synthetic-refresh-token' },
  origin: ORIGIN,
  externalId: reviewId,
  pages: true,
  term: 'Quillby Coffee',
  reply: { states: ['published', 'pending_moderation', 'rejected'] },
  serve(platform: FakePlatform) {
    const one = new RegExp(`^${REVIEWS}/([^/?]+)$`);
    const replyPath = new RegExp(`^${REVIEWS}/([^/?]+)/reply$`);
    nock(ORIGIN)
      .persist()
      .get(one)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const item = platform.items.find((candidate) => reviewId(candidate.id) === idIn(request, one));
        if (item === undefined) return [404, JSON.stringify({ error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' } }), JSON_HEADERS];
        return [200, JSON.stringify(renderReview(item)), JSON_HEADERS];
      })
      .put(replyPath)
      .reply(async (request: Request): Promise<[number, string, Record<string, string>]> => {
        const { comment } = (await request.json()) as { comment?: unknown };
        const written = writeReply(platform, fakeIdOf(idIn(request, replyPath)), typeof comment === 'string' ? comment : '');
        if (written === 'not_found') return [404, JSON.stringify({ error: { code: 404, status: 'NOT_FOUND' } }), JSON_HEADERS];
        if ('failure' in written) return failureReply(written.failure);
        return [200, JSON.stringify(renderReply(written.reply!)), JSON_HEADERS];
      })
      .delete(replyPath)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const written = writeReply(platform, fakeIdOf(idIn(request, replyPath)), null);
        if (written === 'not_found') return [404, JSON.stringify({ error: { code: 404, status: 'NOT_FOUND' } }), JSON_HEADERS];
        if ('failure' in written) return failureReply(written.failure);
        return [200, '{}', JSON_HEADERS];
      });
    nock(TOKEN_ORIGIN)
      .persist()
      .post('/token')
      .reply(200, { access_token: 'ya29.synthetic-access-token', expires_in: 3599, scope: 'https://www.googleapis.com/auth/business.manage', token_type: 'Bearer' }, JSON_HEADERS);
    nock(ORIGIN)
      .persist()
      .get(REVIEWS)
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ reviews: { unexpected: true } }), JSON_HEADERS];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const pageSize = Math.min(platform.pageSize, Number(params.get('pageSize') ?? 50), 50);
        const token = params.get('pageToken');
        const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', ''));
        const all = platform.items.map(renderReview).sort((a, b) => Date.parse(b.updateTime) - Date.parse(a.updateTime));
        const reviews = all.slice(offset, offset + pageSize);
        const next = offset + pageSize < all.length ? Buffer.from(`offset:${offset + pageSize}`).toString('base64url') : undefined;
        const body = all.length === 0 ? {} : { reviews, averageRating: 3.4, totalReviewCount: all.length, ...(next === undefined ? {} : { nextPageToken: next }) };
        return [200, JSON.stringify(body), JSON_HEADERS];
      });
  },
};
