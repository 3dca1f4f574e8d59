import type { Connector, NormalizedItem, Page } from '../contract.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { accessToken } from './access-token.ts';
import { advanceWatermark, cursorValue, readBackTo, readCursor } from '../watermark-cursor.ts';
import { recheckReviews } from './recheck.ts';
import { getReviewsPage, reviewPages } from './review-pages.ts';
import { reviewToItem, reviewUpdatedAt } from './reviews.ts';
import { configSchema, credentialsSchema, parseSettings, type GoogleBusinessConfig, type GoogleBusinessCredentials } from './settings.ts';

/** Google Business Profile reviews of one location (v4 reviews.list): every review, the owner's replies, edits. */
export const googleBusiness: Connector<GoogleBusinessConfig, GoogleBusinessCredentials> = {
  id: 'google_business',
  version: '1.0.0',
  displayName: 'Google Business Profile',
  kind: 'review',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 15,
  // The Business Profile APIs' default per-project quota: about 300 requests a minute.
  budget: { requests: 300, windowSeconds: 60 },
  capabilities: { hasRatings: true, detectsOwnerReplies: true, seesEdits: true, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    const token = await accessToken(ctx.http, config, credentials);
    await getReviewsPage(config, token, ctx, 1, null);
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const token = await accessToken(ctx.http, config, credentials);
    let seen = previous.seen;
    let newest = previous.since;
    // Pages are handed on one step late: only the last one may carry the advanced watermark,
    // because a crash after an early page must not make the next poll skip the pages after it.
    let held: NormalizedItem[] | null = null;
    for await (const reviews of reviewPages(config, token, ctx, readBackTo(previous.since))) {
      if (held !== null) yield { items: held, cursor: cursorValue(previous.since, seen) };
      newest = advanceWatermark(newest, reviews.map(reviewUpdatedAt), ctx.now());
      const items = reviews.map(reviewToItem);
      held = unreportedItems(items, seen);
      seen = rememberVersions(seen, items);
    }
    yield { items: held ?? [], cursor: cursorValue(newest, seen) };
  },
  // Each poll reads back only to its watermark: older reviews awaiting a re-review are looked up one by one.
  async recheck(config, credentials, reviewIds, ctx) {
    if (reviewIds.length === 0) return { items: [], removed: [] };
    const token = await accessToken(ctx.http, config, credentials);
    return recheckReviews(ctx, config, token, reviewIds);
  },
};
