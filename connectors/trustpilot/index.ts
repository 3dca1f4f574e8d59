import type { Connector, Page } from '../contract.ts';
import { pagesOneStepLate, readBackTo, readCursor } from '../watermark-cursor.ts';
import { businessToken } from './business-token.ts';
import { recheckReviews } from './recheck.ts';
import { trustpilotReply } from './reply.ts';
import { getReviewsPage, reviewPages } from './review-pages.ts';
import { reviewCreatedAt, reviewToItem } from './reviews.ts';
import { configSchema, credentialsSchema, parseSettings, type TrustpilotConfig, type TrustpilotCredentials } from './settings.ts';

/** Trustpilot service reviews of one business unit, with company replies and edits. */
export const trustpilot: Connector<TrustpilotConfig, TrustpilotCredentials> = {
  id: 'trustpilot',
  version: '1.0.0',
  displayName: 'Trustpilot',
  shortName: 'Trustpilot',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 30,
  // Trustpilot's guidance: stay under 833 calls per 5 minutes (and 10,000 an hour) per key.
  budget: { requests: 833, windowSeconds: 300 },
  // Edits and replies are seen on the newest 100 reviews, which every poll re-reads.
  capabilities: { hasRatings: true, detectsOwnerReplies: true, seesEdits: true, push: false, maxItemsPerPoll: null },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await getReviewsPage(config, credentials, ctx, 1, 1);
    // Reply credentials, when given, are proved too: a refused secret should show now, not at the first reply.
    const { apiSecret, businessUserId } = credentials;
    if (apiSecret !== undefined && businessUserId !== undefined) await businessToken(ctx.http, config, { apiKey: credentials.apiKey, apiSecret, businessUserId });
  },
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    const previous = readCursor(cursor);
    // Reviews re-read in the overlap or the re-scan are reported only when new or changed.
    const pages = reviewPages(config, credentials, ctx, readBackTo(previous.since));
    yield* pagesOneStepLate(pages, { itemsOf: (reviews) => reviews.map(reviewToItem), timeOf: reviewCreatedAt }, previous, ctx.now);
  },
  // Only the newest reviews are re-read each poll: older ones awaiting a re-review are looked up one by one.
  recheck(config, credentials, reviewIds, ctx) {
    return recheckReviews(ctx, config, credentials, reviewIds);
  },
  reply: trustpilotReply,
};
