import nock from 'nock';
import { describe, expect, test } from 'vitest';
import { hackerNews } from '../../connectors/hackernews/index.ts';
import page1 from '../fixtures/hackernews/search-page-1.json' with { type: 'json' };
import { allPages, connectorFailure, testContext, type TestContext } from './connector-context.ts';
import { offlineWithNock } from './offline-with-nock.ts';

const HN = 'https://hacker-news.firebaseio.com';
const ALGOLIA = 'https://hn.algolia.com';
const NOW = new Date('2026-03-02T12:30:00Z');
const [story, comment] = page1.hits;
const COMMENT_ID = comment!.objectID;
const STORY_ID = story!.objectID;

let ctx: TestContext;
offlineWithNock(() => ctx?.http.close());

const settings = () => hackerNews.parseConfig({ terms: ['Quillby'] }, {});

function recheck(ids: string[]) {
  const parsed = settings();
  ctx = testContext({ platform: 'hackernews', now: NOW });
  return hackerNews.recheck!(parsed.config, parsed.credentials, ids, ctx);
}

/** HN's own item: what the official API answers for a comment. */
function hnItem(id: string, extra: Record<string, unknown> = {}) {
  return nock(HN).get(`/v0/item/${id}.json`).reply(200, { by: 'synth_critic', id: Number(id), parent: 41000001, text: 'whatever HN holds', time: comment!.created_at_i, type: 'comment', ...extra });
}

function algoliaByAuthorAndSecond(author: string, second: number, hits: object[]) {
  return nock(ALGOLIA)
    .get('/api/v1/search_by_date')
    .query({ tags: `author_${author},(story,comment)`, numericFilters: `created_at_i=${second}`, hitsPerPage: '100' })
    .reply(200, { hits, nbHits: hits.length, page: 0, nbPages: 1, hitsPerPage: 100 });
}

describe('recheck', () => {
  test('an edited comment is found on Algolia by author and second, and normalised exactly as fetch does', async () => {
    // What fetch made of the comment before the edit.
    nock(ALGOLIA).get('/api/v1/search_by_date').query(true).reply(200, { ...page1, hits: [comment], nbPages: 1 });
    ctx = testContext({ platform: 'hackernews', now: NOW });
    const [before] = (await allPages(hackerNews.fetch(settings().config, {}, null, ctx))).flatMap((page) => page.items);
    await ctx.http.close();
    const edited = { ...comment, comment_text: 'Edit: Quillby support did call back, refund arrived.' };
    const state = hnItem(COMMENT_ID);
    const found = algoliaByAuthorAndSecond('synth_critic', comment!.created_at_i, [{ ...story, objectID: '41000099', created_at_i: comment!.created_at_i }, edited]);

    const answer = await recheck([COMMENT_ID]);

    expect(state.isDone() && found.isDone()).toBe(true);
    expect(answer).toEqual({ items: [{ ...before, body: 'Edit: Quillby support did call back, refund arrived.', raw: edited }], removed: [] });
    expect(answer.items[0]).toMatchObject({ externalId: COMMENT_ID, title: 'Re: Show HN: I rebuilt the ordering system for Quillby Coffee' });
  });

  test('deleted and dead items are removed', async () => {
    nock(HN).get(`/v0/item/${COMMENT_ID}.json`).reply(200, { deleted: true, id: Number(COMMENT_ID), parent: 41000001, time: comment!.created_at_i, type: 'comment' });
    hnItem(STORY_ID, { dead: true, by: 'synth_maker', type: 'story' });

    expect(await recheck([COMMENT_ID, STORY_ID])).toEqual({ items: [], removed: [COMMENT_ID, STORY_ID] });
  });

  test('unclear answers are neither found nor removed: null, 403, an item Algolia does not have, an id that is not HN’s', async () => {
    nock(HN).get('/v0/item/41000001.json').reply(200, 'null');
    nock(HN).get('/v0/item/41000002.json').reply(403, { error: 'Permission denied' });
    hnItem('41000003', { by: 'synth_typo', time: 1772451600 });
    algoliaByAuthorAndSecond('synth_typo', 1772451600, []);

    expect(await recheck(['41000001', '41000002', '41000003', 'abc'])).toEqual({ items: [], removed: [] });
  });

  test('5xx propagates, a body that is not JSON is a bad payload', async () => {
    nock(HN).get(`/v0/item/${COMMENT_ID}.json`).reply(503, 'unavailable');
    expect((await connectorFailure(recheck([COMMENT_ID]))).kind).toBe('transient');
    await ctx.http.close();

    nock(HN).get(`/v0/item/${COMMENT_ID}.json`).reply(200, '<html>oops</html>');
    expect((await connectorFailure(recheck([COMMENT_ID]))).kind).toBe('bad_payload');
  });
});
