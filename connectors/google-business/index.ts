import type { Connector, Page } from '../contract.ts';
import { accessToken } from './access-token.ts';
import { pagesOneStepLate, readBackTo, readCursor } from '../watermark-cursor.ts';
import { setReviewNotifications } from './pubsub-notification-setting.ts';
import { recheckReviews } from './recheck.ts';
import { googleBusinessReply } from './reply.ts';
import { getReviewsPage, reviewPages } from './review-pages.ts';
import { reviewToItem, reviewUpdatedAt } from './reviews.ts';
import { configSchema, credentialsSchema, parseSettings, type GoogleBusinessConfig, type GoogleBusinessCredentials } from './settings.ts';

/** Google Business Profile reviews of one location (v4 reviews.list): every review, the owner's replies, edits. */
export const googleBusiness: Connector<GoogleBusinessConfig, GoogleBusinessCredentials> = {
  id: 'google_business',
  version: '1.0.0',
  displayName: 'Google Business Profile',
  shortName: 'Google',
  repliable: true,
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
    // Given the topic, Earshot points the account's notifications at it: a refusal says what to fix.
    const { pubsubTopic } = config;
    if (pubsubTopic !== undefined) await setReviewNotifications(ctx.http, { ...config, pubsubTopic }, token);
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    const token = await accessToken(ctx.http, config, credentials);
    const pages = reviewPages(config, token, ctx, readBackTo(previous.since));
    yield* pagesOneStepLate(pages, { itemsOf: (reviews) => reviews.map(reviewToItem), timeOf: reviewUpdatedAt }, previous, ctx.now);
  },
  // Each poll reads back only to its watermark: older reviews awaiting a re-review are looked up one by one.
  async recheck(config, credentials, reviewIds, ctx) {
    if (reviewIds.length === 0) return { items: [], removed: [] };
    const token = await accessToken(ctx.http, config, credentials);
    return recheckReviews(ctx, config, token, reviewIds);
  },
  reply: googleBusinessReply,
};
