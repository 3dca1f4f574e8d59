import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { googlePlay } from '../../../connectors/google-play/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://androidpublisher.test';
const PACKAGE = 'com.example.synthnotes';
const REVIEWS = `/androidpublisher/v3/applications/${PACKAGE}/reviews`;
const ONE_REVIEW = new RegExp(`^${REVIEWS}/([^/]+)$`);
const REPLY = new RegExp(`^${REVIEWS}/([^/]+):reply$`);
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const NOT_FOUND: [number, string, Record<string, string>] = [404, JSON.stringify({ error: { code: 404, status: 'NOT_FOUND', message: 'Review not found.' } }), JSON_HEADERS];

/** The fake item a request's path names (reviewId `gp:<fake id>`), by `pattern`'s first group. */
const itemIn = (platform: FakePlatform, request: Request, pattern: RegExp) =>
  platform.items.find((item) => `gp:${item.id}` === decodeURIComponent(pattern.exec(new URL(request.url).pathname)?.[1] ?? ''));

// A throwaway key, made when the suite loads.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccountJson = JSON.stringify({
  type: 'service_account',
  private_key_id: 'contract-key',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'contract@synthetic-project.iam.gserviceaccount.com',
  token_uri: `${ORIGIN}/token`,
});

const timestamp = (at: Date) => ({ seconds: String(Math.floor(at.getTime() / 1000)), nanos: (at.getTime() % 1000) * 1_000_000 });

function renderReview(item: FakeItem) {
  const comments: object[] = [
    {
      userComment: {
        text: item.text,
        lastModified: timestamp(item.updatedAt ?? item.publishedAt),
        starRating: item.rating,
        reviewerLanguage: 'en',
        appVersionName: '1.0.0',
        thumbsUpCount: 0,
        thumbsDownCount: 0,
      },
    },
  ];
  if (item.ownerReply !== null) comments.push({ developerComment: { text: item.ownerReply.text, lastModified: timestamp(item.ownerReply.at) } });
  return { reviewId: `gp:${item.id}`, authorName: item.author, comments };
}

export const adapter: ContractAdapter = {
  connector: googlePlay,
  config: { packageName: PACKAGE, baseUrl: ORIGIN },
  credentials: { serviceAccountJson },
  origin: ORIGIN,
  externalId: (fakeId) => `gp:${fakeId}`,
  pages: true,
  term: 'Synthnotes',
  reply: { states: ['published'] },
  serve(platform: FakePlatform) {
    nock(ORIGIN).persist().post('/token').reply(200, { access_token: 'contract-access-token', expires_in: 3599, token_type: 'Bearer' });
    nock(ORIGIN)
      .persist()
      .get(ONE_REVIEW)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const item = itemIn(platform, request, ONE_REVIEW);
        return item === undefined ? NOT_FOUND : [200, JSON.stringify(renderReview(item)), JSON_HEADERS];
      })
      .post(REPLY)
      .reply(async (request: Request): Promise<[number, string, Record<string, string>]> => {
        const { replyText } = (await request.json()) as { replyText?: unknown };
        const item = itemIn(platform, request, REPLY);
        const written = item === undefined ? 'not_found' : writeReply(platform, item.id, typeof replyText === 'string' ? replyText : '');
        if (written === 'not_found') return NOT_FOUND;
        if ('failure' in written) return failureReply(written.failure);
        return [200, JSON.stringify({ result: { replyText: written.reply!.text, lastEdited: timestamp(written.reply!.at) } }), JSON_HEADERS];
      });
    nock(ORIGIN)
      .persist()
      .get(REVIEWS)
      .query(true)
      .reply((request: Request): [number, string, Record<string, string>] => {
        platform.requests++;
        const failure = platform.failures.shift();
        if (failure === 'malformed') return [200, JSON.stringify({ reviews: { reviewId: 'not a list' } }), { 'content-type': 'application/json' }];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        const params = new URL(request.url).searchParams;
        const size = Math.min(platform.pageSize, Number(params.get('maxResults') ?? 100), 100);
        const start = Number(params.get('token') ?? 0);
        // The most recently created or modified user comment first.
        const sorted = [...platform.items].sort((a, b) => (b.updatedAt ?? b.publishedAt).getTime() - (a.updatedAt ?? a.publishedAt).getTime());
        const reviews = sorted.slice(start, start + size).map(renderReview);
        const body = {
          ...(reviews.length === 0 ? {} : { reviews }),
          ...(start + size < sorted.length ? { tokenPagination: { nextPageToken: String(start + size) } } : {}),
        };
        return [200, JSON.stringify(body), JSON_HEADERS];
      });
  },
};
