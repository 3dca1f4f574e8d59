import { generateKeyPairSync, verify } from 'node:crypto';
import nock from 'nock';
import { appStore } from '../../../connectors/app-store/index.ts';
import type { PublishedState } from '../../../connectors/reply-contract.ts';
import type { ContractAdapter, FakeItem, FakeOwnerReply, FakePlatform } from './adapter.ts';
import { failureReply, writeReply } from './fake-replies.ts';

const ORIGIN = 'https://itunes-rss.test';
const APP_ID = '1234500001';
const FEED_PATH = new RegExp(`^/us/rss/customerreviews/page=(\\d+)/id=${APP_ID}/sortby=mostrecent/(json|xml)$`);

const CONNECT_ORIGIN = 'https://api.appstoreconnect.test';
const ISSUER_ID = '69a6de7e-0000-47e3-e053-5b8c7c11a4d1';
const KEY_ID = 'SYNTH12345';
// A throwaway key made for each run; the fake checks every token against it.
const connectKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const JSON_API = { 'content-type': 'application/json' };

const shownAt = (item: FakeItem) => item.updatedAt ?? item.publishedAt;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Apple's local time with an offset, as its feeds write it. */
function appleTime(at: Date): string {
  return `${new Date(at.getTime() - 7 * 3600_000).toISOString().slice(0, 19)}-07:00`;
}

function pageOf(platform: FakePlatform, page: number): { items: FakeItem[]; last: number } {
  const sorted = [...platform.items].sort((a, b) => shownAt(b).getTime() - shownAt(a).getTime());
  const size = Math.min(platform.pageSize, 50);
  return { items: sorted.slice((page - 1) * size, page * size), last: Math.max(1, Math.ceil(sorted.length / size)) };
}

function lastLink(last: number, format: string) {
  return `https://itunes.apple.com/us/rss/customerreviews/page=${last}/id=${APP_ID}/sortby=mostrecent/xml?urlDesc=/customerreviews/id=${APP_ID}/sortBy=mostRecent/page=1/${format}`;
}

/** The JSON feed as older storefronts send it: an app-metadata entry first, and no per-entry `updated`. */
function jsonFeed(items: FakeItem[], last: number): object {
  const entries = items.map((item) => ({
    author: { uri: { label: `https://itunes.apple.com/us/reviews/id9${item.id}` }, name: { label: item.author }, label: '' },
    'im:version': { label: '1.0.0' },
    'im:rating': { label: String(item.rating) },
    id: { label: item.id },
    title: { label: `Review ${item.id}` },
    content: { label: item.text, attributes: { type: 'text' } },
    'im:voteSum': { label: '0' },
    'im:voteCount': { label: '0' },
  }));
  const app = { 'im:name': { label: 'Synthetic app' }, id: { label: `https://apps.apple.com/us/app/id${APP_ID}`, attributes: { 'im:id': APP_ID } } };
  const all = entries.length === 0 ? [] : [app, ...entries];
  return {
    feed: {
      author: { name: { label: 'iTunes Store' } },
      // Apple's quirk: one entry is an object, none is no `entry` at all.
      ...(all.length === 0 ? {} : { entry: all.length === 1 ? all[0] : all }),
      link: [{ attributes: { rel: 'last', href: lastLink(last, 'json') } }],
      id: { label: 'synthetic' },
    },
  };
}

function xmlFeed(items: FakeItem[], last: number): string {
  const entries = items.map(
    (item) => `<entry><updated>${appleTime(shownAt(item))}</updated><id>${item.id}</id><title>Review ${item.id}</title>` +
      `<content type="text">${escapeXml(item.text)}</content><im:rating>${item.rating}</im:rating><im:version>1.0.0</im:version>` +
      `<author><name>${escapeXml(item.author)}</name></author><content type="html">&lt;p&gt;${escapeXml(escapeXml(item.text))}&lt;/p&gt;</content></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom"><id>synthetic</id><link rel="last" href="${lastLink(last, 'xml')}"/>${entries.join('')}</feed>`;
}

type Reply = [number, string, Record<string, string>];

/** A token App Store Connect would take: ES256 by our key, with our key id and issuer, for its audience. */
function validToken(authorization: string | null): boolean {
  const [header, claims, signature] = (/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '').split('.');
  if (header === undefined || claims === undefined || signature === undefined) return false;
  const signed = verify('sha256', Buffer.from(`${header}.${claims}`), { key: connectKey.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, number | string>;
  return signed && head.kid === KEY_ID && body.iss === ISSUER_ID && body.aud === 'appstoreconnect-v1' && Number(body.exp) - Number(body.iat) <= 1200;
}

const NOT_AUTHORIZED = JSON.stringify({ errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.' }] });
const notFound = (detail: string) => JSON.stringify({ errors: [{ status: '404', code: 'NOT_FOUND', title: 'The specified resource does not exist', detail }] });
const STATES: Record<PublishedState, string> = { published: 'PUBLISHED', pending_moderation: 'PENDING_PUBLISH', rejected: 'REJECTED' };
const responseId = (reviewId: string) => `00000041-synthetic-response-${reviewId}`;

/** A customerReviewResponses resource. */
function responseDocument(reviewId: string, reply: FakeOwnerReply): string {
  return JSON.stringify({
    data: {
      type: 'customerReviewResponses',
      id: responseId(reviewId),
      attributes: { responseBody: reply.text, lastModifiedDate: appleTime(reply.at), state: STATES[reply.state ?? 'published'] },
      links: { self: `${CONNECT_ORIGIN}/v1/customerReviewResponses/${responseId(reviewId)}` },
    },
    links: { self: `${CONNECT_ORIGIN}/v1/customerReviews/${reviewId}/response` },
  });
}

/** App Store Connect's customer review responses: read one review's, create (or replace) one, delete one. */
async function connect(platform: FakePlatform, request: Request): Promise<Reply> {
  if (!validToken(request.headers.get('authorization'))) return [401, NOT_AUTHORIZED, JSON_API];
  const path = new URL(request.url).pathname;
  // check() proves the key on the app.
  if (path === `/v1/apps/${APP_ID}` && request.method === 'GET') {
    return [200, JSON.stringify({ data: { type: 'apps', id: APP_ID, attributes: { bundleId: 'test.synthetic.app' } } }), JSON_API];
  }
  const read = /^\/v1\/customerReviews\/([^/]+)\/response$/.exec(path);
  if (read !== null && request.method === 'GET') {
    const item = platform.items.find((candidate) => candidate.id === read[1]);
    if (item?.ownerReply == null) return [404, notFound(`There is no response for customerReviews '${read[1]}'`), JSON_API];
    return [200, responseDocument(item.id, item.ownerReply), JSON_API];
  }
  if (path === '/v1/customerReviewResponses' && request.method === 'POST') {
    const input = (await request.json().catch(() => ({}))) as { data?: { attributes?: { responseBody?: unknown }; relationships?: { review?: { data?: { id?: unknown } } } } };
    const reviewId = String(input.data?.relationships?.review?.data?.id ?? '');
    const written = writeReply(platform, reviewId, String(input.data?.attributes?.responseBody ?? ''));
    if (written === 'not_found') return [404, notFound(`There is no customerReviews '${reviewId}'`), JSON_API];
    if ('failure' in written) return failureReply(written.failure);
    return [201, responseDocument(reviewId, written.reply!), JSON_API];
  }
  const deletion = /^\/v1\/customerReviewResponses\/00000041-synthetic-response-(.+)$/.exec(path);
  if (deletion !== null && request.method === 'DELETE') {
    const written = writeReply(platform, deletion[1]!, null);
    if (written === 'not_found') return [404, notFound('There is no such response'), JSON_API];
    if ('failure' in written) return failureReply(written.failure);
    return [204, '', {}];
  }
  return [404, notFound(`No resource at ${path}`), JSON_API];
}

export const adapter: ContractAdapter = {
  connector: appStore,
  config: { appId: APP_ID, countries: ['us'], baseUrl: ORIGIN, connectBaseUrl: CONNECT_ORIGIN },
  credentials: { issuerId: ISSUER_ID, keyId: KEY_ID, privateKey: connectKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() },
  origin: ORIGIN,
  externalId: (fakeId) => fakeId,
  pages: true,
  term: 'Synthetic app',
  // Apple holds every response for review before the App Store shows it; it reports no rejection through the API.
  reply: { states: ['pending_moderation', 'published'] },
  serve(platform: FakePlatform) {
    nock(ORIGIN)
      .persist()
      .get(FEED_PATH)
      .reply((request: Request): [number, string, Record<string, string>] => {
        const [, page, format] = FEED_PATH.exec(new URL(request.url).pathname) ?? [];
        // Only the JSON page is a data request; the XML variant is the connector looking up dates.
        if (format === 'json') {
          platform.requests++;
          const failure = platform.failures.shift();
          if (failure === 'malformed') return [200, JSON.stringify({ feed: [{ entry: 'not a feed' }] }), { 'content-type': 'application/json' }];
          if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        }
        const { items, last } = pageOf(platform, Number(page));
        if (format === 'xml') return [200, xmlFeed(items, last), { 'content-type': 'text/xml; charset=UTF-8' }];
        return [200, JSON.stringify(jsonFeed(items, last)), { 'content-type': 'application/json; charset=UTF-8' }];
      });
    nock(CONNECT_ORIGIN)
      .persist()
      .get(/^\/v1\//)
      .reply((request: Request) => connect(platform, request))
      .post(/^\/v1\//)
      .reply((request: Request) => connect(platform, request))
      .delete(/^\/v1\//)
      .reply((request: Request) => connect(platform, request));
  },
};
