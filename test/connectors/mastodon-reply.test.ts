import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { mastodon } from '../../connectors/mastodon/index.ts';
import { statusToItem, type Status } from '../../connectors/mastodon/status.ts';
import { ReplyRefused, type ReplyTarget } from '../../connectors/reply-contract.ts';
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const INSTANCE = 'https://mastodon-instance.test';
const TOKEN = 'synthetic-mastodon-write-token';
const OUR_ACCOUNT = '1090009';
const POST_URI = 'https://remote-server.test/users/juniper/statuses/113000000000000001';
const LOCAL_ID = '113555000000000042';
const NOW = new Date('2026-03-02T12:30:00Z');

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const reply = mastodon.reply!;

function status(id: string, overrides: Partial<Status> & Record<string, unknown> = {}): Status {
  return {
    id,
    uri: POST_URI,
    url: 'https://remote-server.test/@juniper/113000000000000001',
    created_at: '2026-03-02T11:00:00.000Z',
    in_reply_to_id: null,
    content: '<p>The oat latte at Quillby Coffee was cold today.</p>',
    spoiler_text: '',
    visibility: 'public',
    account: { id: '2200001', username: 'juniper', acct: 'juniper@remote-server.test', display_name: 'Juniper' },
    reblog: null,
    ...overrides,
  };
}

function settings(config: Record<string, unknown> = {}, credentials: Record<string, string> = { accessToken: TOKEN }, maxCharacters = 500) {
  ctx = testContext({ platform: 'mastodon', now: NOW });
  // Publishing checks the length against the instance's limit first.
  nock(INSTANCE).persist().get('/api/v2/instance').reply(200, { domain: 'mastodon-instance.test', configuration: { statuses: { max_characters: maxCharacters } } });
  return mastodon.parseConfig({ instanceUrl: INSTANCE, hashtags: ['quillbycoffee'], ...config }, credentials);
}

function target(raw: Status = status(LOCAL_ID)): ReplyTarget {
  const item = statusToItem(raw);
  return { externalId: item.externalId, url: item.url, raw, publishedAt: item.publishedAt, hasText: true };
}

function resolve(statuses: Status[] = [status(LOCAL_ID)]) {
  return nock(INSTANCE)
    .get('/api/v2/search')
    .matchHeader('authorization', `Bearer ${TOKEN}`)
    .query({ q: POST_URI, type: 'statuses', resolve: 'true', limit: '1' })
    .reply(200, { accounts: [], statuses, hashtags: [] });
}

function postStatus(statusCode = 200, body: object = status('113555000000000077', { uri: `${INSTANCE}/users/quillby/statuses/113555000000000077`, url: `${INSTANCE}/@quillby/113555000000000077`, created_at: '2026-03-02T12:30:01.000Z' })) {
  let sent: any;
  let key: string | null = null;
  const scope = nock(INSTANCE)
    .post('/api/v1/statuses', (input) => {
      sent = input;
      return true;
    })
    .matchHeader('authorization', `Bearer ${TOKEN}`)
    // nock 15 hands reply functions the fetch Request.
    .reply((request: Request): [number, string] => {
      key = request.headers.get('idempotency-key');
      return [statusCode, JSON.stringify(body)];
    });
  return { scope, sent: () => sent, key: () => key };
}

describe('mastodon reply: publish', () => {
  test('resolves the post, replies to it with the author mentioned, the source’s visibility and an idempotency key', async () => {
    const { config, credentials } = settings({ replyVisibility: 'unlisted' });
    const found = resolve();
    const post = postStatus();

    const published = await reply.publish(config, credentials, target(), 'Sorry about that, come by for a fresh one!', ctx);

    expect(found.isDone() && post.scope.isDone()).toBe(true);
    expect(post.sent()).toEqual({ status: '@juniper@remote-server.test Sorry about that, come by for a fresh one!', in_reply_to_id: LOCAL_ID, visibility: 'unlisted' });
    expect(post.key()).toMatch(/^[0-9a-f]{48}$/);
    expect(published).toEqual({
      state: 'published',
      reason: null,
      platformReplyId: '113555000000000077',
      at: new Date('2026-03-02T12:30:01.000Z'),
      url: `${INSTANCE}/@quillby/113555000000000077`,
    });
  });

  test('the same reply sent again carries the same key, so Mastodon answers with the status it made', async () => {
    const { config, credentials } = settings();
    resolve();
    const first = postStatus();
    await reply.publish(config, credentials, target(), 'Thanks!', ctx);
    resolve();
    const second = postStatus();
    await reply.publish(config, credentials, target(), 'Thanks!', ctx);
    resolve();
    const other = postStatus();
    await reply.publish(config, credentials, target(), 'Thanks again!', ctx);

    expect(second.key()).toBe(first.key());
    expect(other.key()).not.toBe(first.key());
  });

  test('visibility defaults to public; a text that already mentions the author is sent as written', async () => {
    const { config, credentials } = settings();
    resolve();
    const post = postStatus();

    await reply.publish(config, credentials, target(), 'Thanks @juniper@remote-server.test!', ctx);

    expect(post.sent()).toMatchObject({ status: 'Thanks @juniper@remote-server.test!', visibility: 'public' });
  });

  test('a post the search cannot resolve uses the id stored with it (read from this instance)', async () => {
    const { config, credentials } = settings();
    resolve([]);
    const post = postStatus();

    await reply.publish(config, credentials, target(), 'Thanks!', ctx);

    expect(post.sent().in_reply_to_id).toBe(LOCAL_ID);
  });

  test('a post neither found nor stored with an id is refused', async () => {
    const { config, credentials } = settings();
    resolve([]);

    const error = await reply.publish(config, credentials, { ...target(), raw: null }, 'Thanks!', ctx).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplyRefused);
    expect((error as ReplyRefused).reason).toBe('not_allowed');
  });

  test('replacing our reply edits it in place', async () => {
    const { config, credentials } = settings();
    resolve();
    let sent: unknown;
    const edit = nock(INSTANCE)
      .put('/api/v1/statuses/113555000000000077', (input) => {
        sent = input;
        return true;
      })
      .reply(200, status('113555000000000077', { edited_at: '2026-03-02T12:31:00.000Z' }));

    const published = await reply.publish(config, credentials, target(), 'Fixed wording', ctx, { text: '@juniper Old wording', at: null, platformReplyId: '113555000000000077' });

    expect(edit.isDone()).toBe(true);
    expect(sent).toEqual({ status: '@juniper@remote-server.test Fixed wording' });
    expect(published.at).toEqual(new Date('2026-03-02T12:31:00.000Z'));
  });

  test('a token without write access (403) is config, saying which scope to add', async () => {
    const { config, credentials } = settings();
    resolve();
    postStatus(403, { error: 'This action is outside the authorized scopes' });

    const error = await connectorFailure(reply.publish(config, credentials, target(), 'Thanks!', ctx));

    expect(error.kind).toBe('config');
    expect(error.message).toContain('write:statuses');
  });

  test.each([
    [401, 'config'],
    [429, 'rate_limited'],
    [503, 'transient'],
  ])('posting answered %i is %s', async (statusCode, kind) => {
    const { config, credentials } = settings();
    resolve();
    postStatus(statusCode, { error: 'synthetic failure' });

    expect((await connectorFailure(reply.publish(config, credentials, target(), 'Thanks!', ctx))).kind).toBe(kind);
  });

  test('without a token, replying is config naming the credential', async () => {
    const { config, credentials } = settings({}, {});
    expect(reply.credentialsNeeded).toEqual(['accessToken']);

    const error = await connectorFailure(reply.publish(config, credentials, target(), 'Thanks!', ctx));

    expect(error.message).toContain('credentials.accessToken');
  });

  test('an unknown visibility is refused when the source is saved', () => {
    expect(() => settings({ replyVisibility: 'followers' })).toThrow(/config\.replyVisibility must be one of public, unlisted, direct/);
  });
});

describe('mastodon reply: limits', () => {
  test('the instance’s limit, less room for the mention', async () => {
    const { config, credentials } = settings({}, { accessToken: TOKEN }, 1000);

    expect(await reply.limits(config, credentials, ctx)).toEqual({ maxLength: 1000 - 32, unit: 'graphemes' });
  });

  test('an older server without v2 answers from v1 (max_toot_chars), else 500', async () => {
    ctx = testContext({ platform: 'mastodon', now: NOW });
    const { config, credentials } = mastodon.parseConfig({ instanceUrl: INSTANCE, hashtags: ['quillbycoffee'] }, { accessToken: TOKEN });
    nock(INSTANCE).get('/api/v2/instance').reply(404, { error: 'Record not found' });
    nock(INSTANCE).get('/api/v1/instance').reply(200, { uri: 'mastodon-instance.test', max_toot_chars: 5000 });
    expect((await reply.limits(config, credentials, ctx)).maxLength).toBe(5000 - 32);

    nock(INSTANCE).get('/api/v2/instance').reply(200, { domain: 'mastodon-instance.test' });
    expect((await reply.limits(config, credentials, ctx)).maxLength).toBe(500 - 32);
  });

  test('a text over the limit is refused before the post is even looked up', async () => {
    const { config, credentials } = settings();
    const error = await reply.publish(config, credentials, target(), '👍🏽'.repeat(469), ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyRefused);
    expect((error as ReplyRefused).reason).toBe('too_long');
  });
});

describe('mastodon reply: current', () => {
  function context(descendants: Status[], statusCode = 200) {
    nock(INSTANCE).get('/api/v1/accounts/verify_credentials').reply(200, { id: OUR_ACCOUNT, username: 'quillby', acct: 'quillby' });
    return nock(INSTANCE).get(`/api/v1/statuses/${LOCAL_ID}/context`).reply(statusCode, statusCode === 200 ? { ancestors: [], descendants } : { error: 'Record not found' });
  }

  const ours = (id: string, at: string, inReplyTo = LOCAL_ID) =>
    status(id, { uri: `${INSTANCE}/users/quillby/statuses/${id}`, in_reply_to_id: inReplyTo, created_at: at, content: '<p><span class="h-card"><a href="https://remote-server.test/@juniper" class="u-url mention">@<span>juniper</span></a></span> Sorry!</p>', account: { id: OUR_ACCOUNT, username: 'quillby', acct: 'quillby' } });

  test('our account’s direct answer to the post', async () => {
    const { config, credentials } = settings();
    resolve();
    const read = context([
      status('113555000000000050', { uri: 'https://remote-server.test/users/ash/statuses/1', in_reply_to_id: LOCAL_ID, account: { id: '2200002', acct: 'ash@remote-server.test' } }),
      ours('113555000000000060', '2026-03-02T12:20:00.000Z', '113555000000000050'),
      ours('113555000000000077', '2026-03-02T12:10:00.000Z'),
    ]);

    const current = await reply.current(config, credentials, target(), ctx);

    expect(read.isDone()).toBe(true);
    expect(current).toEqual({ text: 'Sorry!', at: new Date('2026-03-02T12:10:00.000Z'), platformReplyId: '113555000000000077' });
  });

  test('none of ours is null', async () => {
    const { config, credentials } = settings();
    resolve();
    context([]);

    expect(await reply.current(config, credentials, target(), ctx)).toBeNull();
  });

  test('a post deleted since it was resolved is refused', async () => {
    const { config, credentials } = settings();
    resolve();
    context([], 404);

    await expect(reply.current(config, credentials, target(), ctx)).rejects.toBeInstanceOf(ReplyRefused);
  });
});

describe('mastodon reply: remove', () => {
  test('deletes our reply; one already gone is fine', async () => {
    const { config, credentials } = settings();
    const deletion = nock(INSTANCE).delete('/api/v1/statuses/113555000000000077').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, {});
    await reply.remove!(config, credentials, target(), { text: 'x', at: null, platformReplyId: '113555000000000077' }, ctx);
    expect(deletion.isDone()).toBe(true);

    nock(INSTANCE).delete('/api/v1/statuses/113555000000000077').reply(404, { error: 'Record not found' });
    await reply.remove!(config, credentials, target(), { text: 'x', at: null, platformReplyId: '113555000000000077' }, ctx);
  });
});
