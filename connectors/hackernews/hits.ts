import type { NormalizedItem } from '../contract.ts';
import { htmlToText } from '../html-text.ts';
import { badPayload, isRecord, stringOrNull } from '../payload-shape.ts';

/** One Algolia hit: a story (`title`, `url`, `story_text`) or a comment (`comment_text`, `story_title`). */
export interface Hit extends Record<string, unknown> {
  objectID: string;
  created_at_i: number;
}

export interface SearchResponse {
  hits: Hit[];
  /** Pages reachable for this query (Algolia stops at about 1000 hits whatever nbHits says). */
  nbPages: number;
  nbHits: number | null;
}

export function readSearchResponse(body: unknown): SearchResponse {
  const label = 'hackernews search_by_date';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  if (!Array.isArray(body.hits)) throw badPayload(`${label}: "hits" is not a list`, body);
  if (typeof body.nbPages !== 'number') throw badPayload(`${label}: "nbPages" is not a number`, body);
  for (const [index, hit] of body.hits.entries()) {
    if (!isRecord(hit) || typeof hit.objectID !== 'string' || hit.objectID === '') throw badPayload(`${label}: hit ${index} has no "objectID"`, body);
    if (typeof hit.created_at_i !== 'number') throw badPayload(`${label}: hit ${index} has no numeric "created_at_i"`, body);
  }
  return { hits: body.hits as Hit[], nbPages: body.nbPages, nbHits: typeof body.nbHits === 'number' ? body.nbHits : null };
}

export function isComment(hit: Hit): boolean {
  return typeof hit.comment_text === 'string' || (Array.isArray(hit._tags) && hit._tags.includes('comment'));
}

export function hitCreatedAt(hit: Hit): Date {
  return new Date(hit.created_at_i * 1000);
}

/** The item's title: the story's own, or "Re: {story title}" for a comment (as HN's own mail digests put it). */
export function hitTitle(hit: Hit): string | null {
  if (isComment(hit)) {
    const storyTitle = stringOrNull(hit.story_title);
    return storyTitle === null ? null : `Re: ${storyTitle}`;
  }
  return stringOrNull(hit.title);
}

/** The body as plain text: the comment, or the story's text (Ask HN) or else its link. */
export function hitBody(hit: Hit): string {
  if (isComment(hit)) return htmlToText(stringOrNull(hit.comment_text) ?? '');
  const text = htmlToText(stringOrNull(hit.story_text) ?? '');
  return text !== '' ? text : (stringOrNull(hit.url) ?? '');
}

/** What the watched terms are looked for in: the title and the text, never the link or highlight markup. */
export function hitSearchableText(hit: Hit): string {
  const title = isComment(hit) ? null : stringOrNull(hit.title);
  const text = isComment(hit) ? stringOrNull(hit.comment_text) : stringOrNull(hit.story_text);
  return [title === null ? '' : htmlToText(title), htmlToText(text ?? '')].join('\n');
}

export function hitToItem(hit: Hit): NormalizedItem {
  return {
    externalId: hit.objectID,
    kind: 'mention',
    url: `https://news.ycombinator.com/item?id=${encodeURIComponent(hit.objectID)}`,
    author: stringOrNull(hit.author),
    rating: null,
    title: hitTitle(hit),
    body: hitBody(hit),
    language: null,
    publishedAt: hitCreatedAt(hit),
    updatedAt: null,
    ownerReply: null,
    raw: hit,
  };
}
