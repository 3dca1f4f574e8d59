import type { ConnectorContext } from '../contract.ts';
import { postSeenAt, readSearchResponse, type PostView } from './post-view.ts';

// Enough for a busy term between two polls; a first poll of a very common word stops here.
const MAX_PAGES_PER_TERM = 10;
const PAGE_SIZE = 100;

/** The pages of `app.bsky.feed.searchPosts` for one term, newest first, back to `since`. */
export async function* searchPages(ctx: ConnectorContext, baseUrl: string, accessJwt: string, term: string, since: Date): AsyncGenerator<PostView[]> {
  let cursor: string | null = null;
  for (let page = 1; page <= MAX_PAGES_PER_TERM; page++) {
    const url = new URL(`${baseUrl}/xrpc/app.bsky.feed.searchPosts`);
    url.searchParams.set('q', term);
    url.searchParams.set('sort', 'latest');
    url.searchParams.set('limit', String(PAGE_SIZE));
    url.searchParams.set('since', since.toISOString());
    if (cursor !== null) url.searchParams.set('cursor', cursor);
    const response = await ctx.http.json({ url: url.toString(), headers: { Authorization: `Bearer ${accessJwt}` }, label: 'searchPosts' });
    const { posts, cursor: next } = readSearchResponse(response.body);
    yield posts;
    const reachedSince = posts.some((post) => (postSeenAt(post) ?? since) < since);
    if (next === null || posts.length === 0 || reachedSince) return;
    cursor = next;
  }
  ctx.log.warn({ term, pages: MAX_PAGES_PER_TERM }, 'bluesky search stopped at the page limit; older matches of this term are skipped');
}
