import type { Connector, NormalizedItem, Page } from '../contract.ts';
import { rememberVersions, unreportedItems, type SeenVersions } from '../seen-versions.ts';
import { advanceWatermark, cursorValue, readBackTo, readCursor } from './cursor.ts';
import { connectKeyOf, connectRequest } from './connect-api.ts';
import { appStoreReply } from './reply.ts';
import { hasMorePages, MAX_PAGES, PAGE_SIZE, readReviewPage, reviewToItem } from './review-pages.ts';
import { configSchema, credentialsSchema, parseSettings, type AppStoreConfig, type AppStoreCredentials } from './settings.ts';

// Enough to remember every review a first poll of each storefront can read, and then some.
const REMEMBERED_PER_STOREFRONT = PAGE_SIZE * MAX_PAGES + 100;

/**
 * Apple App Store customer reviews, from the public per-storefront RSS feed (JSON, with
 * the XML feed for dates); replies through the App Store Connect API, with an API key.
 */
export const appStore: Connector<AppStoreConfig, AppStoreCredentials> = {
  id: 'app_store',
  version: '1.0.0',
  displayName: 'Apple App Store',
  shortName: 'App Store',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 30,
  // Apple publishes no limit for these feeds; this is the "about 20 calls a minute" Apple states for its
  // iTunes Search API, shared by every App Store source, to stay clear of the 403s Apple sends to heavy callers.
  budget: { requests: 20, windowSeconds: 60 },
  // An edit moves the review's `updated` time and changes its text: seen. Developer responses exist only in
  // the App Store Connect API, never in this feed: Earshot cannot see a response sent from App Store Connect
  // itself until a reply is attempted (reply.current() reads it then).
  capabilities: { hasRatings: true, detectsOwnerReplies: false, seesEdits: true, push: false, maxItemsPerPoll: PAGE_SIZE * MAX_PAGES },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await readReviewPage(ctx, config, config.countries[0]!, 1);
    // A reply key is proved on the app itself: a valid key of another team cannot answer its reviews.
    if (credentials.privateKey !== undefined) {
      await connectRequest(ctx, config, connectKeyOf(credentials), { path: `/v1/apps/${config.appId}?fields%5Bapps%5D=bundleId`, label: `app ${config.appId} in App Store Connect` });
    }
  },
  async *fetch(config, _credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const watermarks = new Map(previous.watermarks);
    let seen = previous.seen;
    const maxRemembered = REMEMBERED_PER_STOREFRONT * config.countries.length;
    // Pages are handed on one step late, with the memory as it was after them: only a storefront's
    // last page may carry its advanced watermark, so a crash mid-storefront re-reads it next time.
    let held: { items: NormalizedItem[]; seen: SeenVersions } | null = null;
    for (const country of config.countries) {
      const stopBefore = readBackTo(previous.watermarks.get(country));
      let newest = previous.watermarks.get(country);
      for (let page = 1; page <= MAX_PAGES; page++) {
        const feed = await readReviewPage(ctx, config, country, page);
        if (held !== null) yield { items: held.items, cursor: cursorValue(watermarks, held.seen) };
        const items = feed.reviews.map((review) => reviewToItem(review, config, country));
        // Both the overlap and a review edited between two page reads can show a version twice.
        held = { items: unreportedItems(items, seen), seen: rememberVersions(seen, items, maxRemembered) };
        seen = held.seen;
        newest = advanceWatermark(newest, feed.reviews.map((review) => review.updated), ctx.now());
        // Newest first: a review from before the watermark means the rest was read by an earlier poll.
        // An undated review (JSON and XML disagreed) counts as known once it was reported.
        const reachedKnown =
          stopBefore !== null &&
          feed.reviews.some((review, index) => (review.updated !== null ? review.updated < stopBefore : reportedBefore(previous.seen, items[index]!)));
        if (reachedKnown || !hasMorePages(feed, page)) break;
      }
      if (newest !== undefined) watermarks.set(country, newest);
    }
    yield { items: held?.items ?? [], cursor: cursorValue(watermarks, seen) };
  },
  reply: appStoreReply,
};

function reportedBefore(seen: SeenVersions, item: NormalizedItem): boolean {
  return unreportedItems([item], seen).length === 0;
}
