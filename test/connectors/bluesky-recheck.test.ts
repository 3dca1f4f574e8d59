import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { bluesky } from '../../connectors/bluesky/index.ts';
import { postToItem, type PostView } from '../../connectors/bluesky/post-view.ts';
import page1 from '../fixtures/bluesky/search-page-1.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const APPVIEW = 'https://public.api.bsky.app';
const NOW = new Date('2026-03-02T12:30:00Z');
const [wren, clap] = page1.posts;
const WREN = wren!.uri;
const CLAP = clap!.uri;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function recheck(uris: string[], config: Record<string, unknown> = { terms: ['Orchard Cafe'] }) {
  const parsed = bluesky.parseConfig(config, { identifier: 'earshot-watcher.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' });
  ctx = testContext({ platform: 'bluesky', now: NOW, allowPrivateUrls: true });
  return bluesky.recheck!(parsed.config, parsed.credentials, uris, ctx);
}

function getPosts(uris: string[], posts: object[], origin = APPVIEW) {
  return nock(origin)
    .get('/xrpc/app.bsky.feed.getPosts')
    .query((query) => JSON.stringify([query.uris].flat()) === JSON.stringify(uris))
    .reply(200, { posts });
}

function getRecord(uri: string, status: number, body: object) {
  const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri)!;
  return nock(APPVIEW).get('/xrpc/com.atproto.repo.getRecord').query({ repo, collection, rkey }).reply(status, body);
}

describe('recheck', () => {
  test('a post still shown is normalised as fetch does, without signing in (no createSession is mocked)', async () => {
    const edited = { ...wren, record: { ...wren!.record, text: 'Lunch at Orchard Cafe was fine; the apple tart was dry this time.' } };
    const lookup = getPosts([WREN], [edited]);

    const answer = await recheck([WREN]);

    expect(lookup.isDone()).toBe(true);
    expect(answer).toEqual({ items: [{ ...postToItem(wren as PostView), body: 'Lunch at Orchard Cafe was fine; the apple tart was dry this time.', raw: edited }], removed: [] });
    expect(answer.items[0]).toMatchObject({ externalId: WREN, url: 'https://bsky.app/profile/wren.example.com/post/3mabcdefgh2aa', author: 'Wren Example' });
  });

  test('a post left out whose record is not found is removed', async () => {
    getPosts([WREN, CLAP], [clap!]);
    const record = getRecord(WREN, 400, { error: 'RecordNotFound', message: `Could not locate record: ${WREN}` });

    const answer = await recheck([WREN, CLAP]);

    expect(record.isDone()).toBe(true);
    expect(answer.removed).toEqual([WREN]);
    expect(answer.items.map((item) => item.externalId)).toEqual([CLAP]);
  });

  test('a post left out whose record is still there (a block, say), or another error, is neither', async () => {
    getPosts([WREN, CLAP], []);
    getRecord(WREN, 200, { uri: WREN, cid: wren!.cid, value: wren!.record });
    getRecord(CLAP, 400, { error: 'InvalidRequest', message: 'Could not find repo' });

    expect(await recheck([WREN, CLAP])).toEqual({ items: [], removed: [] });
  });

  test('30 posts take two calls of 25 and 5', async () => {
    const uris = Array.from({ length: 30 }, (_, index) => `at://did:plc:synthbatch${String(index).padStart(14, '0')}/app.bsky.feed.post/3mbatch${index}`);
    const posts = uris.map((uri) => ({ ...wren, uri }));
    const first = getPosts(uris.slice(0, 25), posts.slice(0, 25));
    const second = getPosts(uris.slice(25), posts.slice(25));

    const answer = await recheck(uris);

    expect(first.isDone() && second.isDone()).toBe(true);
    expect(answer.items.map((item) => item.externalId)).toEqual(uris);
  });

  test('a sandbox baseUrl answers the lookups itself', async () => {
    const sandbox = getPosts([WREN], [wren!], 'http://127.0.0.1:4999');
    expect((await recheck([WREN], { terms: ['Orchard Cafe'], baseUrl: 'http://127.0.0.1:4999' })).items).toHaveLength(1);
    expect(sandbox.isDone()).toBe(true);
  });

  test('a failed call propagates; a reply without posts is a bad payload', async () => {
    nock(APPVIEW).get('/xrpc/app.bsky.feed.getPosts').query(true).reply(502, 'bad gateway');
    expect((await connectorFailure(recheck([WREN]))).kind).toBe('transient');
    await ctx.http.close();

    nock(APPVIEW).get('/xrpc/app.bsky.feed.getPosts').query(true).reply(200, { feed: [] });
    expect((await connectorFailure(recheck([WREN]))).kind).toBe('bad_payload');
  });
});
