import type { Connector, Page } from '../contract.ts';
import { postSeenAt, postText, postToItem, type PostView } from './post-view.ts';
import { appViewFor, recheckPosts } from './recheck.ts';
import { mentionFilter } from './mention-filter.ts';
import { blueskyReply } from './reply.ts';
import { searchPages } from './search-pages.ts';
import { createSession } from './session.ts';
import { configSchema, credentialsSchema, parseSettings, type BlueskyConfig, type BlueskyCredentials } from './settings.ts';
import { pagesOneStepLate, readCursor, searchSince } from '../watermark-cursor.ts';

// A new source looks back one day rather than through the platform's whole history.
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

/** Bluesky posts that mention the watched terms, found with the authenticated post search. */
export const bluesky: Connector<BlueskyConfig, BlueskyCredentials> = {
  id: 'bluesky',
  version: '1.0.0',
  displayName: 'Bluesky',
  shortName: 'Bluesky',
  repliable: true,
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
    const previous = readCursor(cursor);
    const since = searchSince(previous.since, ctx.now(), FIRST_POLL_LOOKBACK_MS);
    const { accessJwt } = await createSession(ctx.http, config.baseUrl, credentials);
    const watches = mentionFilter(config);
    const isMention = (post: PostView) => watches(postText(post));
    const pages = (async function* () {
      for (const term of config.terms) yield* searchPages(ctx, config.baseUrl, accessJwt, term, since);
    })();
    // A post found by several terms, or re-read in the overlap, is reported once.
    yield* pagesOneStepLate(pages, { itemsOf: (posts) => posts.filter(isMention).map(postToItem), timeOf: postSeenAt }, previous, ctx.now);
  },
  // Search is read back only to the watermark: older posts awaiting a re-review are looked up by uri, without signing in.
  recheck(config, _credentials, uris, ctx) {
    return recheckPosts(ctx, appViewFor(config.baseUrl), uris);
  },
  reply: blueskyReply,
};
