import type { ConnectorContext, Recheck } from '../contract.ts';
import { stringOrNull } from '../payload-shape.ts';
import { USER_AGENT } from './access-token.ts';
import { readListing, thingToItem, type Thing } from './listing.ts';

// /api/info takes up to 100 fullnames a call.
const INFO_BATCH = 100;

/** Posts and comments by fullname, as a Listing. Things Reddit does not show (a private subreddit's) are left out of it. */
async function info(ctx: ConnectorContext, baseUrl: string, token: string, fullnames: string[]): Promise<Thing[]> {
  const things: Thing[] = [];
  for (let start = 0; start < fullnames.length; start += INFO_BATCH) {
    const url = new URL(`${baseUrl}/api/info`);
    url.searchParams.set('id', fullnames.slice(start, start + INFO_BATCH).join(','));
    // As in the listings: the Markdown source unescaped, so texts compare equal to what fetch stored.
    url.searchParams.set('raw_json', '1');
    const response = await ctx.http.json({ url: url.toString(), headers: { Authorization: `Bearer ${token}`, 'User-Agent': USER_AGENT }, label: 'info' });
    things.push(...readListing(response.body, 'reddit info').things);
  }
  return things;
}

/**
 * Reddit keeps a deleted or removed thing in place with its text blanked: the author
 * becomes "[deleted]" and the text "[deleted]" (by its author) or "[removed]" (by
 * moderators or Reddit). A post also names the removal in `removed_by_category`.
 */
export function isRemoved(thing: Thing): boolean {
  if (stringOrNull(thing.data.removed_by_category) !== null) return true;
  const text = thing.kind === 't1' ? thing.data.body : thing.data.selftext;
  return thing.data.author === '[deleted]' && (text === '[deleted]' || text === '[removed]');
}

/**
 * Comments read from a subreddit's comment listing carry their post's title, which
 * `fetch` makes the comment's title ("Re: …"); /api/info may leave it out, so the posts
 * are asked for too. A comment whose post does not come back is left unanswered:
 * without the title it would look edited.
 */
async function withPostTitles(ctx: ConnectorContext, baseUrl: string, token: string, things: Thing[]): Promise<Thing[]> {
  const untitled = (thing: Thing) => thing.kind === 't1' && stringOrNull(thing.data.link_title) === null;
  const postIds = [...new Set(things.filter(untitled).map((thing) => stringOrNull(thing.data.link_id)).filter((id) => id !== null))];
  if (postIds.length === 0) return things;
  const posts = new Map((await info(ctx, baseUrl, token, postIds)).map((post) => [post.data.name, post.data]));
  return things.flatMap((thing) => {
    if (!untitled(thing)) return [thing];
    const post = posts.get(stringOrNull(thing.data.link_id) ?? '');
    const title = stringOrNull(post?.title);
    if (title === null) return [];
    const data: Thing['data'] = { ...thing.data, link_title: title };
    // An old comment without its own permalink is linked through its post, as in the listing.
    const postLink = stringOrNull(post?.permalink);
    if (data.link_permalink === undefined && postLink !== null) data.link_permalink = `https://www.reddit.com${postLink}`;
    return [{ ...thing, data }];
  });
}

/**
 * Posts and comments by fullname (the external id `fetch` gives them). A fullname
 * missing from the answer is left unanswered: Reddit does not say what leaving one
 * out means (a private or banned subreddit hides its things alike).
 */
export async function recheckThings(ctx: ConnectorContext, baseUrl: string, token: string, fullnames: string[]): Promise<Recheck> {
  const asked = new Set(fullnames.filter((name) => /^t[13]_[a-z0-9]+$/i.test(name)));
  if (asked.size === 0) return { items: [], removed: [] };
  const things = (await info(ctx, baseUrl, token, [...asked])).filter((thing) => asked.has(thing.data.name));
  const removed = things.filter(isRemoved);
  const shown = await withPostTitles(ctx, baseUrl, token, things.filter((thing) => !isRemoved(thing)));
  return { items: shown.map(thingToItem), removed: removed.map((thing) => thing.data.name) };
}
