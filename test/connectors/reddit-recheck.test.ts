import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { reddit } from '../../connectors/reddit/index.ts';
import comments from '../fixtures/reddit/subreddit-comments.json' with { type: 'json' };
import searchListing from '../fixtures/reddit/search-listing.json' with { type: 'json' };
import { connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const AUTH = 'https://www.reddit.com';
const API = 'https://oauth.reddit.com';
const USER_AGENT = 'Earshot/1.0 (self-hosted review monitor)';
const NOW = new Date('2026-03-02T12:30:00Z');
const [selfPost, linkPost] = searchListing.data.children;
const [listedComment] = comments.data.children;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

function recheck(fullnames: string[]) {
  const parsed = reddit.parseConfig({ terms: ['Quillby Coffee'], subreddits: ['SynthCity'] }, { clientId: 'synthClient42', clientSecret: 'synthetic-reddit-secret-77' });
  ctx = testContext({ platform: 'reddit', now: NOW });
  return reddit.recheck!(parsed.config, parsed.credentials, fullnames, ctx);
}

const token = () => nock(AUTH).post('/api/v1/access_token').reply(200, { access_token: 'synthetic-bearer', token_type: 'bearer', expires_in: 86400 });
const listingOf = (children: object[]) => ({ kind: 'Listing', data: { after: null, dist: children.length, children, before: null } });

function info(ids: string[], children: object[]) {
  return nock(API)
    .get('/api/info')
    .matchHeader('authorization', 'Bearer synthetic-bearer')
    .matchHeader('user-agent', USER_AGENT)
    .query({ id: ids.join(','), raw_json: '1' })
    .reply(200, listingOf(children));
}

/** A comment as /api/info gives it: its own permalink, but no title or link of its post. */
function commentFromInfo(changes: Record<string, unknown> = {}) {
  const { link_title: _title, link_permalink: _link, ...data } = listedComment!.data;
  return { kind: 't1', data: { ...data, permalink: '/r/SynthCity/comments/1j2k9z0/bad_morning_at_a_local_cafe/mq1a2b3/', ...changes } };
}

describe('recheck', () => {
  test('edited posts and comments are normalised as fetch does; a comment gets its post’s title', async () => {
    token();
    const editedPost = { ...selfPost, data: { ...selfPost!.data, selftext: 'Update: Quillby Coffee apologised and refunded me.', edited: 1772454000 } };
    const editedComment = commentFromInfo({ body: 'Edit: they fixed the oat milk at quillby coffee.', edited: 1772454100 });
    const asked = info(['t3_1j2k9z0', 't1_mq1a2b3'], [editedPost, editedComment]);
    const post = info(['t3_1j2k9z0'], [selfPost!]);

    const answer = await recheck(['t3_1j2k9z0', 't1_mq1a2b3']);

    expect(asked.isDone() && post.isDone()).toBe(true);
    expect(answer.removed).toEqual([]);
    expect(answer.items).toHaveLength(2);
    expect(answer.items[0]).toEqual({
      externalId: 't3_1j2k9z0',
      kind: 'mention',
      url: 'https://www.reddit.com/r/SynthCity/comments/1j2k9z0/bad_morning_at_a_local_cafe/',
      author: 'u/synth_latte_fan',
      rating: null,
      title: 'Bad morning at a local café',
      body: 'Update: Quillby Coffee apologised and refunded me.',
      language: null,
      publishedAt: new Date('2026-03-02T12:00:00Z'),
      updatedAt: new Date(1772454000 * 1000),
      ownerReply: null,
      raw: editedPost,
    });
    // As the subreddit comment listing made it, titled after its post.
    expect(answer.items[1]).toMatchObject({
      externalId: 't1_mq1a2b3',
      url: 'https://www.reddit.com/r/SynthCity/comments/1j2k9z0/bad_morning_at_a_local_cafe/mq1a2b3/',
      author: 'u/synth_neighbour',
      title: 'Re: Bad morning at a local café',
      body: 'Edit: they fixed the oat milk at quillby coffee.',
      updatedAt: new Date(1772454100 * 1000),
    });
  });

  test('deleted or removed things are removed; a link post by a deleted account is still there', async () => {
    token();
    const deletedComment = commentFromInfo({ author: '[deleted]', body: '[deleted]' });
    const removedPost = { ...selfPost, data: { ...selfPost!.data, selftext: '[removed]', removed_by_category: 'moderator' } };
    const removedByReddit = { kind: 't3', data: { ...selfPost!.data, name: 't3_1j2k0r1', id: '1j2k0r1', author: '[deleted]', selftext: '[removed]' } };
    info(['t1_mq1a2b3', 't3_1j2k9z0', 't3_1j2k0r1', 't3_1j2k5m6'], [deletedComment, removedPost, removedByReddit, linkPost!]);

    const answer = await recheck(['t1_mq1a2b3', 't3_1j2k9z0', 't3_1j2k0r1', 't3_1j2k5m6']);

    expect(answer.removed).toEqual(['t1_mq1a2b3', 't3_1j2k9z0', 't3_1j2k0r1']);
    expect(answer.items.map((item) => [item.externalId, item.author, item.body])).toEqual([['t3_1j2k5m6', null, 'https://news.synth.test/quillby-second-shop']]);
  });

  test('unclear answers are neither: a thing left out of the answer, a comment whose post does not come back', async () => {
    token();
    info(['t3_1j2k9z0', 't1_mq1a2b3'], [commentFromInfo()]);
    info(['t3_1j2k9z0'], []);

    expect(await recheck(['t3_1j2k9z0', 't1_mq1a2b3', 'not-a-fullname'])).toEqual({ items: [], removed: [] });
  });

  test('asks for at most 100 fullnames a call', async () => {
    token();
    const ids = Array.from({ length: 130 }, (_, index) => `t3_synth${index}`);
    const first = info(ids.slice(0, 100), []);
    const second = info(ids.slice(100), [{ ...selfPost, data: { ...selfPost!.data, name: 't3_synth120' } }]);

    const answer = await recheck(ids);

    expect(first.isDone() && second.isDone()).toBe(true);
    expect(answer.items.map((item) => item.externalId)).toEqual(['t3_synth120']);
  });

  test('a refused call propagates', async () => {
    token();
    nock(API).get('/api/info').query(true).reply(429, { message: 'Too Many Requests', error: 429 }, { 'x-ratelimit-reset': '30' });
    expect((await connectorFailure(recheck(['t3_1j2k9z0']))).kind).toBe('rate_limited');
  });
});
