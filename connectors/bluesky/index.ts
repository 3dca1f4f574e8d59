import type { Connector, NormalizedItem, Page } from '../contract.ts';
import { postSeenAt, postText, postToItem, type PostView } from './post-view.ts';
import { PUBLIC_APPVIEW, recheckPosts } from './recheck.ts';
import { searchPages } from './search-pages.ts';
import { createSession } from './session.ts';
import { configSchema, credentialsSchema, DEFAULT_BASE_URL, parseSettings, type BlueskyConfig, type BlueskyCredentials } from './settings.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { advanceWatermark, blueskyCursor, readSeen, readWatermark, searchSince } from './watermark.ts';

/** Bluesky posts that mention the watched terms, found with the authenticated post search. */
export const bluesky: Connector<BlueskyConfig, BlueskyCredentials> = {
  id: 'bluesky',
  version: '1.0.0',
  displayName: 'Bluesky',
  kind: 'mention',
  configSchema,
  credentialsSchema,
  // Each poll signs in once: 96 sign-ins a day stays under the 100 a day bsky.social's
  // entryway allows an account (its docs say 300; bluesky-social/bsky-docs#183).
  defaultPollMinutes: 15,
  // Bluesky's own limit (RateLimit-Policy: 3000;w=300).
  budget: { requests: 3000, windowSeconds: 300 },
  capabilities: { hasRatings: false, detectsOwnerReplies: false, seesEdits: false, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await createSession(ctx.http, config.baseUrl, credentials);
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readWatermark(cursor);
    const since = searchSince(previous, ctx.now());
    const accessJwt = await createSession(ctx.http, config.baseUrl, credentials);
    const mentionsTerm = containsAnyTerm(config.terms);
    const mentionsExcluded = containsAnyTerm(config.excludeTerms);
    const isMention = (post: PostView) => mentionsTerm(postText(post)) && !mentionsExcluded(postText(post));
    // What earlier polls (and earlier pages of this one: a post found by several terms) reported.
    let seen = readSeen(cursor);
    let newest = previous;
    // Pages are handed on one step late: only the last one may carry the advanced watermark,
    // because a crash after an early page must not make the next poll skip the pages after it.
    let held: NormalizedItem[] | null = null;
    for (const term of config.terms) {
      for await (const posts of searchPages(ctx, config.baseUrl, accessJwt, term, since)) {
        if (held !== null) yield { items: held, cursor: blueskyCursor(previous, seen) };
        newest = advanceWatermark(newest, posts.map(postSeenAt), ctx.now());
        const mentions = posts.filter(isMention).map(postToItem);
        held = unreportedItems(mentions, seen);
        seen = rememberVersions(seen, mentions);
      }
    }
    yield { items: held ?? [], cursor: blueskyCursor(newest, seen) };
  },
  // Search is read back only to the watermark: older posts awaiting a re-review are looked up by uri,
  // without signing in. A baseUrl other than bsky.social is a sandbox or recording, which answers them too.
  recheck(config, _credentials, uris, ctx) {
    return recheckPosts(ctx, config.baseUrl === DEFAULT_BASE_URL ? PUBLIC_APPVIEW : config.baseUrl, uris);
  },
};
