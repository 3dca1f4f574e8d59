import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { mastodon } from '../../connectors/mastodon/index.ts';
import { localStatusId } from '../../connectors/mastodon/recheck.ts';
import search from '../fixtures/mastodon/search.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const INSTANCE = 'https://mastodon.synth.test';
const TOKEN = 'synthetic-token-abc123';
const NOW = new Date('2026-03-02T12:30:00Z');
const [wren, mira, pleroma] = search.statuses;
const WREN_URI = wren!.uri;
const MIRA_URI = mira!.uri;
const PLEROMA_URI = pleroma!.uri;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function recheck(uris: string[], credentials: Record<string, string> = {}) {
  const parsed = mastodon.parseConfig({ instanceUrl: INSTANCE, hashtags: ['quillbycoffee'] }, credentials);
  ctx = testContext({ platform: 'mastodon', now: NOW });
  return mastodon.recheck!(parsed.config, parsed.credentials, uris, ctx);
}

describe('posts of the configured instance', () => {
  test('an edited post is looked up by the id in its uri and normalised as fetch does', async () => {
    const edited = { ...wren, edited_at: '2026-03-02T12:28:00.000Z', content: '<p>Update: Quillby Coffee&#39;s oat latte was fine in the end.</p>' };
    const lookup = nock(INSTANCE).get('/api/v1/statuses/112233445566779000').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, edited);

    const answer = await recheck([WREN_URI], { accessToken: TOKEN });

    expect(lookup.isDone()).toBe(true);
    expect(answer).toEqual({
      items: [
        {
          externalId: WREN_URI,
          kind: 'mention',
          url: 'https://mastodon.synth.test/@wren/112233445566779000',
          author: 'Wren',
          rating: null,
          title: null,
          body: "Update: Quillby Coffee's oat latte was fine in the end.",
          language: 'en',
          publishedAt: new Date('2026-03-02T12:15:00.000Z'),
          updatedAt: new Date('2026-03-02T12:28:00.000Z'),
          ownerReply: null,
          raw: edited,
        },
      ],
      removed: [],
    });
  });

  test('404 ("Record not found") and 410 are removed; 403 is neither found nor removed', async () => {
    nock(INSTANCE).get('/api/v1/statuses/112233445566779000').reply(404, { error: 'Record not found' });
    nock(INSTANCE).get('/api/v1/statuses/112233445566778800').reply(403, { error: 'This action is not allowed' });
    nock(INSTANCE).get('/api/v1/statuses/112233445566770001').reply(410, { error: 'Gone' });

    const answer = await recheck([WREN_URI, MIRA_URI, `${INSTANCE}/users/wren/statuses/112233445566770001`]);

    expect(answer).toEqual({ items: [], removed: [WREN_URI, `${INSTANCE}/users/wren/statuses/112233445566770001`] });
  });

  test('errors other than an answer propagate: 429 waits, a 200 that is not JSON is a bad payload', async () => {
    nock(INSTANCE).get('/api/v1/statuses/112233445566779000').reply(429, { error: 'Too many requests' }, { 'x-ratelimit-reset': '2026-03-02T12:35:00.000Z' });
    expect((await connectorFailure(recheck([WREN_URI]))).kind).toBe('rate_limited');
    await ctx.http.close();

    nock(INSTANCE).get('/api/v1/statuses/112233445566779000').reply(200, '<html>maintenance</html>');
    expect((await connectorFailure(recheck([WREN_URI]))).kind).toBe('bad_payload');
  });
});

describe('posts from other servers', () => {
  test('with a token, a resolving search by uri finds the post as the instance shows it now', async () => {
    const edited = { ...pleroma, edited_at: '2026-03-02T12:29:00.000Z', content: '<p>Soup was hot this time at Quillby Coffee.</p>' };
    const resolved = nock(INSTANCE)
      .get('/api/v2/search')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .query({ q: PLEROMA_URI, type: 'statuses', resolve: 'true', limit: '1' })
      .reply(200, { accounts: [], statuses: [edited], hashtags: [] });

    const answer = await recheck([PLEROMA_URI], { accessToken: TOKEN });

    expect(resolved.isDone()).toBe(true);
    expect(answer.removed).toEqual([]);
    expect(answer.items).toHaveLength(1);
    expect(answer.items[0]).toMatchObject({ externalId: PLEROMA_URI, body: 'food complaint\n\nSoup was hot this time at Quillby Coffee.', updatedAt: new Date('2026-03-02T12:29:00.000Z') });
  });

  test('a search that does not find it proves nothing, and without a token nothing is asked', async () => {
    nock(INSTANCE).get('/api/v2/search').query(true).reply(200, { accounts: [], statuses: [], hashtags: [] });
    expect(await recheck([PLEROMA_URI], { accessToken: TOKEN })).toEqual({ items: [], removed: [] });
    await ctx.http.close();

    // No interceptor: a request would fail the test.
    expect(await recheck([PLEROMA_URI])).toEqual({ items: [], removed: [] });
  });
});

test('only a Mastodon-style uri on the configured instance gives a local id', () => {
  expect(localStatusId(WREN_URI, INSTANCE)).toBe('112233445566779000');
  expect(localStatusId('https://kaffee.synth.test/users/bohne/statuses/1001', INSTANCE)).toBeNull();
  expect(localStatusId(PLEROMA_URI, 'https://pleroma.synth.test')).toBeNull();
  expect(localStatusId(`${INSTANCE}/users/wren/statuses/1/activity`, INSTANCE)).toBeNull();
  expect(localStatusId('not a url', INSTANCE)).toBeNull();
});
