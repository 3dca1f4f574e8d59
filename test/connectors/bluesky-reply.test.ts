import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { linkFacets } from '../../connectors/bluesky/link-facets.ts';
import { postToItem, type PostView } from '../../connectors/bluesky/post-view.ts';
import { ReplyRefused, type ReplyTarget } from '../../connectors/reply-contract.ts';
import createSession from '../fixtures/bluesky/create-session.json' with { type: 'json' };
import page1 from '../fixtures/bluesky/search-page-1.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const PDS = 'https://bsky.social';
const APPVIEW = 'https://public.api.bsky.app';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const OUR_DID = createSession.did;
const NOW = new Date('2026-03-02T12:30:00Z');
const wren = page1.posts[0] as unknown as PostView;
const REPLY_URI = `at://${OUR_DID}/app.bsky.feed.post/3mreply00001`;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = bluesky.reply!;

function settings(identifier = 'earshot-watcher.bsky.social') {
  ctx = testContext({ platform: 'bluesky', now: NOW });
  return bluesky.parseConfig({ terms: ['Orchard Cafe'] }, { identifier, appPassword: APP_PASSWORD });
}

function targetOf(post: PostView): ReplyTarget {
  const item = postToItem(post);
  return { externalId: item.externalId, url: item.url, raw: item.raw, publishedAt: item.publishedAt, hasText: true };
}

function signIn() {
  return nock(PDS).post('/xrpc/com.atproto.server.createSession', { identifier: 'earshot-watcher.bsky.social', password: APP_PASSWORD }).reply(200, createSession);
}

function createRecord(status = 200, body: object = { uri: REPLY_URI, cid: 'bafyreisyntheticreply00001', validationStatus: 'valid' }) {
  let sent: any;
  const scope = nock(PDS)
    .post('/xrpc/com.atproto.repo.createRecord', (input) => {
      sent = input;
      return true;
    })
    .matchHeader('authorization', 'Bearer synthetic-access-token')
    .reply(status, body);
  return { scope, sent: () => sent };
}

function thread(replies: object[]) {
  return nock(APPVIEW)
    .get('/xrpc/app.bsky.feed.getPostThread')
    .query({ uri: wren.uri, depth: '1', parentHeight: '0' })
    .reply(200, { thread: { $type: 'app.bsky.feed.defs#threadViewPost', post: wren, replies } });
}

function resolveHandle() {
  return nock(APPVIEW).get('/xrpc/com.atproto.identity.resolveHandle').query({ handle: 'earshot-watcher.bsky.social' }).reply(200, { did: OUR_DID });
}

function replyView(did: string, text: string, rkey: string, createdAt: string) {
  return {
    $type: 'app.bsky.feed.defs#threadViewPost',
    post: {
      uri: `at://${did}/app.bsky.feed.post/${rkey}`,
      cid: `bafyreisynthetic${rkey}`,
      author: { did, handle: 'someone.bsky.social' },
      record: { $type: 'app.bsky.feed.post', text, createdAt, reply: { root: { uri: wren.uri, cid: wren.cid }, parent: { uri: wren.uri, cid: wren.cid } } },
      indexedAt: createdAt,
    },
    replies: [],
  };
}

describe('bluesky reply: publish', () => {
  test('posts a reply in our repo naming the post as parent and root, and links to it', async () => {
    const { config, credentials } = settings();
    const session = signIn();
    const record = createRecord();

    const published = await reply.publish(config, credentials, targetOf(wren), 'Thank you, Wren! See you soon.', ctx);

    expect(session.isDone() && record.scope.isDone()).toBe(true);
    expect(record.sent()).toEqual({
      repo: OUR_DID,
      collection: 'app.bsky.feed.post',
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Thank you, Wren! See you soon.',
        createdAt: NOW.toISOString(),
        reply: { root: { uri: wren.uri, cid: wren.cid }, parent: { uri: wren.uri, cid: wren.cid } },
      },
    });
    expect(published).toEqual({
      state: 'published',
      reason: null,
      platformReplyId: REPLY_URI,
      at: null,
      url: 'https://bsky.app/profile/earshot-watcher.bsky.social/post/3mreply00001',
    });
  });

  test('a reply to a post that is itself a reply keeps the thread root', async () => {
    const { config, credentials } = settings();
    const root = { uri: 'at://did:plc:synthroot0000000000000001/app.bsky.feed.post/3mroot', cid: 'bafyreisyntheticroot' };
    const inThread = { ...wren, record: { ...wren.record, reply: { root, parent: root } } } as PostView;
    signIn();
    const record = createRecord();

    await reply.publish(config, credentials, targetOf(inThread), 'Thanks!', ctx);

    expect(record.sent().record.reply).toEqual({ root, parent: { uri: wren.uri, cid: wren.cid } });
  });

  test('an item stored without the post cid is looked up on the AppView first', async () => {
    const { config, credentials } = settings();
    const lookup = nock(APPVIEW).get('/xrpc/app.bsky.feed.getPosts').query({ uris: wren.uri }).reply(200, { posts: [wren] });
    signIn();
    const record = createRecord();

    await reply.publish(config, credentials, { ...targetOf(wren), raw: { uri: wren.uri } }, 'Thanks!', ctx);

    expect(lookup.isDone()).toBe(true);
    expect(record.sent().record.reply.parent).toEqual({ uri: wren.uri, cid: wren.cid });
  });

  test('a post the AppView no longer shows is refused, without signing in', async () => {
    const { config, credentials } = settings();
    nock(APPVIEW).get('/xrpc/app.bsky.feed.getPosts').query(true).reply(200, { posts: [] });

    const error = await reply.publish(config, credentials, { ...targetOf(wren), raw: null }, 'Thanks!', ctx).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplyRefused);
    expect((error as ReplyRefused).reason).toBe('not_allowed');
  });

  test('links in the text become link facets at their byte offsets', async () => {
    const { config, credentials } = settings();
    signIn();
    const record = createRecord();

    await reply.publish(config, credentials, targetOf(wren), 'Merci ☕ — menu: https://orchard.example/menu.', ctx);

    const byteStart = Buffer.byteLength('Merci ☕ — menu: ');
    expect(record.sent().record.facets).toEqual([
      { index: { byteStart, byteEnd: byteStart + Buffer.byteLength('https://orchard.example/menu') }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://orchard.example/menu' }] },
    ]);
    expect(linkFacets('no links here')).toEqual([]);
  });

  test('over 300 graphemes is refused as too long before anything is sent', async () => {
    const { config, credentials } = settings();
    expect(await reply.limits(config, credentials, ctx)).toEqual({ maxLength: 300, unit: 'graphemes' });

    const error = await reply.publish(config, credentials, targetOf(wren), 'é'.repeat(301), ctx).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplyRefused);
    expect((error as ReplyRefused).reason).toBe('too_long');
    // 300 family emoji are 300 graphemes but far more than 3000 bytes.
    const bytes = await reply.publish(config, credentials, targetOf(wren), '👨‍👩‍👧‍👦'.repeat(300), ctx).catch((caught: unknown) => caught);
    expect((bytes as ReplyRefused).reason).toBe('too_long');
  });

  test('a refused app password is config, naming what to check', async () => {
    const { config, credentials } = settings();
    nock(PDS).post('/xrpc/com.atproto.server.createSession').reply(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });

    const error = await connectorFailure(reply.publish(config, credentials, targetOf(wren), 'Thanks!', ctx));

    expect(error.kind).toBe('config');
    expect(error.message).toContain('app password');
  });

  test.each([
    [403, 'config'],
    [429, 'rate_limited'],
    [502, 'transient'],
  ])('createRecord answering %i is %s', async (status, kind) => {
    const { config, credentials } = settings();
    signIn();
    createRecord(status, { error: 'Failed', message: 'synthetic failure' });

    const error = await connectorFailure(reply.publish(config, credentials, targetOf(wren), 'Thanks!', ctx));

    expect(error.kind).toBe(kind);
  });
});

describe('bluesky reply: current', () => {
  test('finds our own reply among the direct replies, resolving the handle without signing in', async () => {
    const { config, credentials } = settings();
    const handle = resolveHandle();
    const read = thread([
      replyView('did:plc:synthstranger00000000001', 'Agreed, lovely tart', '3mother', '2026-03-02T12:05:00.000Z'),
      replyView(OUR_DID, 'Thank you, Wren!', '3mreply00001', '2026-03-02T12:10:00.000Z'),
      { $type: 'app.bsky.feed.defs#notFoundPost', uri: 'at://did:plc:gone/app.bsky.feed.post/3mgone', notFound: true },
    ]);

    const current = await reply.current(config, credentials, targetOf(wren), ctx);

    expect(handle.isDone() && read.isDone()).toBe(true);
    expect(current).toEqual({ text: 'Thank you, Wren!', at: new Date('2026-03-02T12:10:00.000Z'), platformReplyId: REPLY_URI });
  });

  test('no reply of ours is null; an identifier that is a DID needs no lookup', async () => {
    const { config, credentials } = settings(OUR_DID);
    thread([replyView('did:plc:synthstranger00000000001', 'Agreed', '3mother', '2026-03-02T12:05:00.000Z')]);

    expect(await reply.current(config, credentials, targetOf(wren), ctx)).toBeNull();
  });

  test('an email identifier signs in to learn the account', async () => {
    const { config, credentials } = settings('watcher@example.com');
    const session = nock(PDS).post('/xrpc/com.atproto.server.createSession').reply(200, createSession);
    thread([]);

    expect(await reply.current(config, credentials, targetOf(wren), ctx)).toBeNull();
    expect(session.isDone()).toBe(true);
  });

  test('a deleted post is refused: there is nothing to reply to', async () => {
    const { config, credentials } = settings(OUR_DID);
    nock(APPVIEW).get('/xrpc/app.bsky.feed.getPostThread').query(true).reply(400, { error: 'NotFound', message: `Post not found: ${wren.uri}` });

    const error = await reply.current(config, credentials, targetOf(wren), ctx).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplyRefused);
  });

  test('a rate-limited AppView is rate_limited', async () => {
    const { config, credentials } = settings(OUR_DID);
    nock(APPVIEW).get('/xrpc/app.bsky.feed.getPostThread').query(true).reply(429, { error: 'RateLimitExceeded' }, { 'retry-after': '30' });

    const error = await connectorFailure(reply.current(config, credentials, targetOf(wren), ctx));

    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(30_000);
  });
});

describe('bluesky reply: remove', () => {
  test('deletes our reply record', async () => {
    const { config, credentials } = settings();
    signIn();
    let sent: unknown;
    const deletion = nock(PDS)
      .post('/xrpc/com.atproto.repo.deleteRecord', (input) => {
        sent = input;
        return true;
      })
      .reply(200, {});

    await reply.remove!(config, credentials, targetOf(wren), { text: 'Thanks', at: null, platformReplyId: REPLY_URI }, ctx);

    expect(deletion.isDone()).toBe(true);
    expect(sent).toEqual({ repo: OUR_DID, collection: 'app.bsky.feed.post', rkey: '3mreply00001' });
  });

  test('a reply posted by another account is refused', async () => {
    const { config, credentials } = settings();
    signIn();
    const other = { text: 'Thanks', at: null, platformReplyId: 'at://did:plc:someoneelse000000000001/app.bsky.feed.post/3mx' };

    await expect(reply.remove!(config, credentials, targetOf(wren), other, ctx)).rejects.toBeInstanceOf(ReplyRefused);
  });
});
