import type { NormalizedItem } from '../contract.ts';
import { badPayload, isRecord, stringOrNull } from '../payload-shape.ts';

/** A listing child: a post (t3) or a comment (t1); `name` is its fullname, e.g. `t3_1abcde`. */
export interface Thing {
  kind: 't1' | 't3';
  data: Record<string, unknown> & { name: string; created_utc: number };
}

export interface Listing {
  things: Thing[];
  /** The fullname to ask for the next (older) page with, or null on the last page. */
  after: string | null;
}

export function readListing(body: unknown, label: string): Listing {
  if (!isRecord(body) || body.kind !== 'Listing' || !isRecord(body.data)) throw badPayload(`${label}: the response is not a Listing`, body);
  const { children, after } = body.data;
  if (!Array.isArray(children)) throw badPayload(`${label}: "data.children" is not a list`, body);
  const things: Thing[] = [];
  for (const [index, child] of children.entries()) {
    if (!isRecord(child) || !isRecord(child.data)) throw badPayload(`${label}: child ${index} has no "data"`, body);
    // Other kinds (subreddits, users, "more" stubs) are not mentions.
    if (child.kind !== 't1' && child.kind !== 't3') continue;
    if (typeof child.data.name !== 'string' || typeof child.data.created_utc !== 'number') {
      throw badPayload(`${label}: child ${index} has no "name" or numeric "created_utc"`, body);
    }
    things.push(child as unknown as Thing);
  }
  if (after !== undefined && after !== null && typeof after !== 'string') throw badPayload(`${label}: "data.after" is not a string`, body);
  return { things, after: stringOrNull(after) };
}

export function createdAt(thing: Thing): Date {
  return new Date(Math.round(thing.data.created_utc * 1000));
}

/** `edited` is false, or the edit time in (float) epoch seconds. */
function editedAt(thing: Thing): Date | null {
  const { edited } = thing.data;
  return typeof edited === 'number' && edited > 0 ? new Date(Math.round(edited * 1000)) : null;
}

/** What the watched terms are looked for in: a post's title and text, a comment's text. */
export function thingText(thing: Thing): string {
  if (thing.kind === 't1') return stringOrNull(thing.data.body) ?? '';
  return [stringOrNull(thing.data.title), stringOrNull(thing.data.selftext)].filter((part) => part !== null).join('\n');
}

function permalink(thing: Thing): string | null {
  const path = stringOrNull(thing.data.permalink);
  if (path !== null) return path.startsWith('/') ? `https://www.reddit.com${path}` : path;
  // Older comment listings lack `permalink`; the post's link plus the comment id finds it.
  const post = stringOrNull(thing.data.link_permalink);
  const id = stringOrNull(thing.data.id);
  return post !== null && id !== null ? `${post.replace(/\/?$/, '/')}${id}/` : null;
}

function author(thing: Thing): string | null {
  const name = stringOrNull(thing.data.author);
  return name === null || name === '[deleted]' ? null : `u/${name}`;
}

export function thingToItem(thing: Thing): NormalizedItem {
  const { data } = thing;
  const isComment = thing.kind === 't1';
  const linkTitle = stringOrNull(data.link_title);
  return {
    externalId: data.name,
    kind: 'mention',
    url: permalink(thing),
    author: author(thing),
    rating: null,
    title: isComment ? (linkTitle === null ? null : `Re: ${linkTitle}`) : stringOrNull(data.title),
    // raw_json=1 gives the Markdown source unescaped; a link post without text has its link as the body.
    body: isComment ? (stringOrNull(data.body) ?? '') : (stringOrNull(data.selftext) ?? stringOrNull(data.url) ?? ''),
    language: null,
    publishedAt: createdAt(thing),
    updatedAt: editedAt(thing),
    ownerReply: null,
    raw: thing,
  };
}
