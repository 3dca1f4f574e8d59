/**
 * The demo sandbox takes replies the way Google Business Profile and Bluesky do, so the
 * real connectors publish, read back and never post twice against it (over a real
 * loopback socket, no nock).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { googleBusiness } from '../../connectors/google-business/index.ts';
import type { NormalizedItem } from '../../connectors/contract.ts';
import type { ReplyTarget } from '../../connectors/reply-contract.ts';
import { sandboxCredentials, startPlatformSandbox, type PlatformSandbox } from '../../services/demo/platform-sandbox.ts';
import { allPages, connectorFailure, testContext, type TestContext } from '../connectors/connector-context.ts';

let sandbox: PlatformSandbox;
let ctx: TestContext;

beforeAll(async () => {
  sandbox = await startPlatformSandbox();
});
afterAll(() => sandbox.stop());
afterEach(() => ctx?.http.close());

function context(platform: string): TestContext {
  ctx = testContext({ platform, allowPrivateUrls: true, now: new Date() });
  return ctx;
}

const targetOf = (item: NormalizedItem): ReplyTarget => ({ externalId: item.externalId, url: item.url, raw: item.raw, publishedAt: item.publishedAt, hasText: item.body !== '' });

describe('Google Business Profile', () => {
  const settings = (refreshToken: string = sandboxCredentials.googleBusiness.refreshToken) =>
    googleBusiness.parseConfig({ ...sandbox.googleBusiness, baseUrl: sandbox.url, tokenBaseUrl: sandbox.url }, { ...sandboxCredentials.googleBusiness, refreshToken });

  async function reviews(): Promise<NormalizedItem[]> {
    const { config, credentials } = settings();
    const pages = await allPages(googleBusiness.fetch(config, credentials, null, context('google_business')));
    return pages.flatMap((page) => page.items);
  }

  test('serves the seeded reviews as reviews.list does, with no owner replies yet', async () => {
    const items = await reviews();
    expect(items.map((item) => item.rating).sort()).toEqual([1, 2, 4, 5, 5]);
    expect(items.every((item) => item.ownerReply === null)).toBe(true);
    expect(items.find((item) => item.rating === 1)).toMatchObject({ author: 'Priya Nandakumar', externalId: sandbox.businessReviewIdOf('Priya Nandakumar') });
  });

  test('a reply is one PUT, approved, linked, and read back as the review’s owner reply', async () => {
    const { config, credentials } = settings();
    const reply = googleBusiness.reply!;
    const priya = (await reviews()).find((item) => item.author === 'Priya Nandakumar')!;
    expect(await reply.current(config, credentials, targetOf(priya), context('google_business'))).toBeNull();

    const published = await reply.publish(config, credentials, targetOf(priya), 'Dear Priya, we are so sorry.', context('google_business'));
    expect(published).toMatchObject({ state: 'published', reason: null, url: `${sandbox.url}/business/reviews/${priya.externalId}` });
    expect(published.at).toBeInstanceOf(Date);
    expect(sandbox.businessReplies).toEqual([{ reviewId: priya.externalId, method: 'PUT', comment: 'Dear Priya, we are so sorry.' }]);

    expect(await reply.current(config, credentials, targetOf(priya), context('google_business'))).toMatchObject({ text: 'Dear Priya, we are so sorry.' });
    expect((await reviews()).find((item) => item.author === 'Priya Nandakumar')?.ownerReply).toMatchObject({ text: 'Dear Priya, we are so sorry.' });
    expect(await (await fetch(published.url!)).text()).toContain('Dear Priya, we are so sorry.');
  });

  test('like Google, it refuses a comment over 4096 bytes and a revoked refresh token', async () => {
    const { config, credentials } = settings();
    const colm = (await reviews()).find((item) => item.author === 'Colm Brady')!;
    const response = await fetch(`${sandbox.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
    });
    const { access_token: token } = (await response.json()) as { access_token: string };
    const tooLong = await fetch(`${sandbox.url}/v4/accounts/${config.accountId}/locations/${config.locationId}/reviews/${colm.externalId}/reply`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'é'.repeat(2049) }),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });

    const revoked = settings('bad-token');
    const error = await connectorFailure(googleBusiness.check(revoked.config, revoked.credentials, context('google_business')));
    expect(error).toMatchObject({ kind: 'config', status: 400 });
  });

  test('a review added later is listed first, and a reply needs a token', async () => {
    sandbox.addBusinessReview({ rating: 1, author: 'Late Diner', text: 'Cold pasta.' });
    expect((await reviews())[0]).toMatchObject({ author: 'Late Diner', rating: 1, body: 'Cold pasta.' });
    const anonymous = await fetch(`${sandbox.url}/v4/accounts/${sandbox.googleBusiness.accountId}/locations/${sandbox.googleBusiness.locationId}/reviews`);
    expect(anonymous.status).toBe(401);
  });
});

describe('Bluesky', () => {
  const settings = () => bluesky.parseConfig({ terms: ['Demo Bistro'], baseUrl: sandbox.url }, sandboxCredentials.bluesky);

  async function mentions(): Promise<NormalizedItem[]> {
    const { config, credentials } = settings();
    const pages = await allPages(bluesky.fetch(config, credentials, null, context('bluesky')));
    return pages.flatMap((page) => page.items);
  }

  test('a reply is a post in the thread, found again before any second send, and can be deleted', async () => {
    const { config, credentials } = settings();
    const reply = bluesky.reply!;
    const rafael = (await mentions()).find((item) => item.body.startsWith('Avoid Demo Bistro'))!;
    expect(rafael.externalId).toBe(sandbox.postUriOf('Rafael Ortiz'));
    expect(await reply.current(config, credentials, targetOf(rafael), context('bluesky'))).toBeNull();

    const published = await reply.publish(config, credentials, targetOf(rafael), 'Rafael, we are sorry: please message us.', context('bluesky'));
    expect(published).toMatchObject({ state: 'published', platformReplyId: expect.stringMatching(/^at:\/\/did:plc:[a-z2-7]+\/app\.bsky\.feed\.post\/[a-z2-7]{13}$/) });
    expect(published.url).toMatch(/^https:\/\/bsky\.app\/profile\/demo\.bsky\.social\/post\/[a-z2-7]{13}$/);
    expect(sandbox.blueskyReplies).toEqual([{ parentUri: rafael.externalId, method: 'createRecord', text: 'Rafael, we are sorry: please message us.' }]);

    // What the sender reads before posting: our own reply is there, so a retry posts nothing.
    const current = await reply.current(config, credentials, targetOf(rafael), context('bluesky'));
    expect(current).toMatchObject({ text: 'Rafael, we are sorry: please message us.', platformReplyId: published.platformReplyId });

    await reply.remove!(config, credentials, targetOf(rafael), { platformReplyId: published.platformReplyId, text: 'Rafael, we are sorry: please message us.', at: null }, context('bluesky'));
    expect(await reply.current(config, credentials, targetOf(rafael), context('bluesky'))).toBeNull();
    expect(sandbox.blueskyReplies.map((entry) => entry.method)).toEqual(['createRecord', 'deleteRecord']);
  });

  test('like Bluesky, a gone post is NotFound and a write needs a session', async () => {
    const thread = await fetch(`${sandbox.url}/xrpc/app.bsky.feed.getPostThread?uri=${encodeURIComponent('at://did:plc:nobody/app.bsky.feed.post/3kgone')}`);
    expect(thread.status).toBe(400);
    expect(await thread.json()).toMatchObject({ error: 'NotFound' });
    const write = await fetch(`${sandbox.url}/xrpc/com.atproto.repo.createRecord`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(401);
  });
});
