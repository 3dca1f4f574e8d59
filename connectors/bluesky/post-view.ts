import type { NormalizedItem } from '../contract.ts';
import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/** A searchPosts PostView: `uri` is `at://{did}/app.bsky.feed.post/{rkey}`, `record` the post itself. */
export interface PostView extends Record<string, unknown> {
  uri: string;
  record: Record<string, unknown>;
}

export interface SearchResponse {
  posts: PostView[];
  /** Absent on the last page. */
  cursor: string | null;
}

export function readSearchResponse(body: unknown): SearchResponse {
  const label = 'bluesky searchPosts';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  if (!Array.isArray(body.posts)) throw badPayload(`${label}: "posts" is not a list`, body);
  for (const [index, post] of body.posts.entries()) {
    if (!isRecord(post) || typeof post.uri !== 'string' || !post.uri.startsWith('at://')) {
      throw badPayload(`${label}: post ${index} has no at:// "uri"`, body);
    }
    if (!isRecord(post.record)) throw badPayload(`${label}: post ${index} has no "record"`, body);
  }
  if (body.cursor !== undefined && typeof body.cursor !== 'string') throw badPayload(`${label}: "cursor" is not a string`, body);
  return { posts: body.posts as PostView[], cursor: stringOrNull(body.cursor) };
}

export function postText(post: PostView): string {
  return typeof post.record.text === 'string' ? post.record.text : '';
}

/** When the server saw the post; `createdAt` is set by the client and can lie, so it is only the fallback. */
export function postSeenAt(post: PostView): Date | null {
  return dateOrNull(post.indexedAt) ?? dateOrNull(post.record.createdAt);
}

function permalink(post: PostView, author: Record<string, unknown>): string | null {
  const [, did, , rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(post.uri) ?? [];
  if (did === undefined || rkey === undefined) return null;
  const handle = stringOrNull(author.handle);
  // An account whose handle no longer verifies shows as "handle.invalid"; its DID still links.
  const profile = handle !== null && handle !== 'handle.invalid' ? handle : did;
  return `https://bsky.app/profile/${profile}/post/${rkey}`;
}

export function postToItem(post: PostView): NormalizedItem {
  const author = isRecord(post.author) ? post.author : {};
  const langs = Array.isArray(post.record.langs) ? post.record.langs : [];
  return {
    externalId: post.uri,
    kind: 'mention',
    url: permalink(post, author),
    author: stringOrNull(author.displayName) ?? stringOrNull(author.handle),
    rating: null,
    title: null,
    body: postText(post),
    language: stringOrNull(langs[0]),
    publishedAt: dateOrNull(post.record.createdAt) ?? dateOrNull(post.indexedAt),
    updatedAt: null,
    ownerReply: null,
    raw: post,
  };
}
