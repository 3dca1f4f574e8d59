import type { Connector, NormalizedItem, Page } from '../contract.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { accessToken } from './access-token.ts';
import { cursorValue, readCursor, readSince } from './cursor.ts';
import { createdAt, thingText, thingToItem, type Thing } from './listing.ts';
import { streamPages, streams } from './listings.ts';
import { recheckThings } from './recheck.ts';
import { configSchema, credentialsSchema, parseSettings, type RedditConfig, type RedditCredentials } from './settings.ts';

const EDIT_WINDOW_MS = 24 * 3600_000;

/** Reddit posts (search, or chosen subreddits' new posts and comments) that mention the watched terms. */
export const reddit: Connector<RedditConfig, RedditCredentials> = {
  id: 'reddit',
  version: '1.0.0',
  displayName: 'Reddit',
  shortName: 'Reddit',
  repliable: true,
  kind: 'mention',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 10,
  // Reddit's free OAuth tier: 100 requests per minute per client id.
  budget: { requests: 100, windowSeconds: 60 },
  // Edits (`edited`) are seen for a day: each poll re-reads the last day of every listing (up to its depth).
  capabilities: { hasRatings: false, detectsOwnerReplies: false, seesEdits: true, push: false, maxItemsPerPoll: 1000 },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await accessToken(ctx.http, config.authBaseUrl, credentials);
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const now = ctx.now();
    const since = readSince(previous.since, now);
    // Listings are read back a day even when the watermark is newer: edits of recent posts show there.
    const readBackTo = new Date(Math.min(since.getTime(), now.getTime() - EDIT_WINDOW_MS));
    const token = await accessToken(ctx.http, config.authBaseUrl, credentials);
    const mentionsTerm = containsAnyTerm(config.terms);
    const mentionsExcluded = containsAnyTerm(config.excludeTerms);
    // Search matches stems and other fields (the link, the subreddit); the text itself must contain a term.
    const isMention = (thing: Thing) => mentionsTerm(thingText(thing)) && !mentionsExcluded(thingText(thing));
    let seen = previous.seen;
    let newest = previous.since;
    // Pages are handed on one step late: only the last one may carry the advanced watermark.
    let held: NormalizedItem[] | null = null;
    for (const stream of streams(config)) {
      for await (const things of streamPages(ctx, config.baseUrl, token, stream, readBackTo)) {
        if (held !== null) yield { items: held, cursor: cursorValue(previous.since, seen) };
        for (const thing of things) {
          const at = createdAt(thing);
          if (at <= now && (newest === null || at > newest)) newest = at;
        }
        const known = seen;
        // Older than the window: only an edit of something already reported is news.
        const items = things
          .filter((thing) => isMention(thing) && (createdAt(thing) >= since || Object.hasOwn(known, thing.data.name)))
          .map(thingToItem);
        held = unreportedItems(items, seen);
        seen = rememberVersions(seen, items);
      }
    }
    yield { items: held ?? [], cursor: cursorValue(newest ?? since, seen) };
  },
  // Listings reach back about 1000 things: older ones awaiting a re-review are looked up by fullname.
  async recheck(config, credentials, fullnames, ctx) {
    if (fullnames.length === 0) return { items: [], removed: [] };
    const token = await accessToken(ctx.http, config.authBaseUrl, credentials);
    return recheckThings(ctx, config.baseUrl, token, fullnames);
  },
};
