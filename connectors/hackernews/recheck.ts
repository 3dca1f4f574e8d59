import type { ConnectorContext, NormalizedItem, Recheck } from '../contract.ts';
import { lookUpById } from '../lookup-by-id.ts';
import { isRecord } from '../payload-shape.ts';
import { hitToItem, readSearchResponse } from './hits.ts';

/**
 * The official Hacker News API (github.com/HackerNews/API): an item as HN holds it now,
 * with the documented flags `deleted` (removed by its author) and `dead` (killed by
 * flags or moderators). Algolia's index has no such flag, so HN itself is asked.
 */
export const HN_ITEM_API = 'https://hacker-news.firebaseio.com/v0';

/** What HN says of one item: gone, there (by whom, when), or nothing clear. */
type ItemState = 'removed' | { by: string; time: number } | null;

async function itemState(ctx: ConnectorContext, id: string): Promise<ItemState> {
  // HN has no 404 for a removed item (it keeps the item, flagged): any refusal is unclear.
  const answer = await lookUpById(ctx, 'hackernews', { url: `${HN_ITEM_API}/item/${id}.json`, label: 'item lookup' }, { gone: [], unclear: [403, 404] });
  if (answer === 'gone' || answer === 'unclear') return null;
  const item = answer.found;
  // `null` is HN's answer for an id it does not know, which an item once found never is: unclear.
  if (!isRecord(item)) return null;
  if (item.deleted === true || item.dead === true) return 'removed';
  return typeof item.by === 'string' && item.by !== '' && typeof item.time === 'number' ? { by: item.by, time: item.time } : null;
}

/**
 * The item as Algolia serves it, found by its author and creation second, so that it is
 * normalised exactly as `fetch` normalises a hit (a comment's title is its story's, which
 * HN's own item does not carry). Algolia may not have indexed an edit yet: then the item
 * reads as unchanged until it has.
 */
async function currentHit(ctx: ConnectorContext, baseUrl: string, id: string, state: { by: string; time: number }): Promise<NormalizedItem | null> {
  const url = new URL(`${baseUrl}/api/v1/search_by_date`);
  url.searchParams.set('tags', `author_${state.by},(story,comment)`);
  url.searchParams.set('numericFilters', `created_at_i=${state.time}`);
  url.searchParams.set('hitsPerPage', '100');
  const response = await ctx.http.json({ url: url.toString(), label: 'search_by_date' });
  const hit = readSearchResponse(response.body).hits.find((candidate) => candidate.objectID === id);
  return hit === undefined ? null : hitToItem(hit);
}

/** Stories and comments asked for by their objectID (the external id `fetch` gives them). */
export async function recheckItems(ctx: ConnectorContext, baseUrl: string, ids: string[]): Promise<Recheck> {
  const answer: Recheck = { items: [], removed: [] };
  for (const id of ids) {
    // HN ids are integers; anything else was never one of ours.
    if (!/^\d+$/.test(id)) continue;
    const state = await itemState(ctx, id);
    if (state === 'removed') answer.removed.push(id);
    else if (state !== null) {
      const item = await currentHit(ctx, baseUrl, id, state);
      if (item !== null) answer.items.push(item);
    }
  }
  return answer;
}
