import type { Connector, Page } from '../contract.ts';
import { pagesOneStepLate, readBackTo, readCursor } from '../watermark-cursor.ts';
import { getReviews, reviewPages } from './review-pages.ts';
import { reviewCreatedAt, reviewToItem } from './reviews.ts';
import { configSchema, credentialsSchema, parseSettings, type YelpConfig, type YelpCredentials } from './settings.ts';

/** Yelp Fusion (Yelp Places API) business reviews: the excerpts Yelp's plan hands out, newest first. */
export const yelp: Connector<YelpConfig, YelpCredentials> = {
  id: 'yelp',
  version: '1.0.0',
  displayName: 'Yelp',
  shortName: 'Yelp',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  // Standard plans show three reviews and paid plans count calls per day (5,000 is common): hourly is plenty.
  defaultPollMinutes: 60,
  // Yelp enforces a per-second and a per-day limit per key; the shared budget keeps bursts under the
  // per-second one, and a day's allowance running out comes back as 429 with its reset time.
  budget: { requests: 50, windowSeconds: 1 },
  // Three excerpts on standard plans (more on some Enterprise plans); no edit time, no owner replies in the API.
  capabilities: { hasRatings: true, detectsOwnerReplies: false, seesEdits: false, push: false, maxItemsPerPoll: 3 },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await getReviews(config, credentials, ctx, { limit: 1, offset: 0 });
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const pages = reviewPages(config, credentials, ctx, readBackTo(previous.since));
    yield* pagesOneStepLate(pages, { itemsOf: (reviews) => reviews.map((review) => reviewToItem(review, config.locale)), timeOf: reviewCreatedAt }, previous, ctx.now);
  },
};
