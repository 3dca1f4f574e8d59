import type { ConnectorContext, NormalizedItem, Recheck } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { postToItem, type PostView } from './post-view.ts';
import { DEFAULT_BASE_URL } from './settings.ts';

/**
 * Bluesky's public AppView. getPosts and getRecord need no sign-in there ("API Hosts
 * and Auth", docs.bsky.app), and a poll has already spent its one sign-in on search:
 * a second one each poll would break the daily sign-in limit the poll interval is set by.
 */
export const PUBLIC_APPVIEW = 'https://public.api.bsky.app';

/** Where public reads go: the public AppView, or the configured host when it is a sandbox or recording (which answers them too). */
export function appViewFor(baseUrl: string): string {
  return baseUrl === DEFAULT_BASE_URL ? PUBLIC_APPVIEW : baseUrl;
}

// The lexicon's limit for app.bsky.feed.getPosts `uris`.
const GET_POSTS_BATCH = 25;

function readPosts(body: unknown): PostView[] {
  const label = 'bluesky getPosts';
  if (!isRecord(body) || !Array.isArray(body.posts)) throw badPayload(`${label}: the response has no "posts" list`, body);
  for (const [index, post] of body.posts.entries()) {
    if (!isRecord(post) || typeof post.uri !== 'string' || !isRecord(post.record)) throw badPayload(`${label}: post ${index} has no "uri" and "record"`, body);
  }
  return body.posts as PostView[];
}

/** The posts Bluesky shows anyone, by at:// uri, 25 a call. */
export async function getPosts(ctx: ConnectorContext, appView: string, uris: string[]): Promise<PostView[]> {
  const posts: PostView[] = [];
  for (let start = 0; start < uris.length; start += GET_POSTS_BATCH) {
    const url = new URL(`${appView}/xrpc/app.bsky.feed.getPosts`);
    for (const uri of uris.slice(start, start + GET_POSTS_BATCH)) url.searchParams.append('uris', uri);
    const response = await ctx.http.json({ url: url.toString(), label: 'getPosts' });
    posts.push(...readPosts(response.body));
  }
  return posts;
}

/**
 * Whether the post's record is gone. getPosts leaves a post out without saying why
 * (the lexicon documents no omission): deleted, taken down, hidden by a block, or not
 * indexed yet look alike. So a missing post is asked for as a record:
 * `com.atproto.repo.getRecord` answers the error `RecordNotFound` (HTTP 400) for a
 * record that does not exist or was taken down. A record still there, or any other
 * error, says nothing.
 */
async function recordGone(ctx: ConnectorContext, appView: string, uri: string): Promise<boolean> {
  const parts = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
  if (parts === null) return false;
  const url = new URL(`${appView}/xrpc/com.atproto.repo.getRecord`);
  url.searchParams.set('repo', parts[1]!);
  url.searchParams.set('collection', parts[2]!);
  url.searchParams.set('rkey', parts[3]!);
  const response = await ctx.http.send({ url: url.toString(), label: 'getRecord', answers: [400] });
  if (response.status !== 400) return false;
  try {
    const body = JSON.parse(response.text) as unknown;
    return isRecord(body) && body.error === 'RecordNotFound';
  } catch {
    return false;
  }
}

/** Posts asked for by their at:// uri (the external id `fetch` gives them), normalised as `fetch` does. */
export async function recheckPosts(ctx: ConnectorContext, appView: string, uris: string[]): Promise<Recheck> {
  const asked = [...new Set(uris.filter((uri) => uri.startsWith('at://')))];
  const shown = new Map<string, NormalizedItem>();
  for (const post of await getPosts(ctx, appView, asked)) shown.set(post.uri, postToItem(post));
  const answer: Recheck = { items: [], removed: [] };
  for (const uri of asked) {
    const item = shown.get(uri);
    if (item !== undefined) answer.items.push(item);
    else if (await recordGone(ctx, appView, uri)) answer.removed.push(uri);
  }
  return answer;
}
