import type { Connector, ConnectorContext, Page } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';
import { readSeenVersions, rememberVersions, unreportedItems } from '../seen-versions.ts';
import { signIn } from './access-token.ts';
import { googlePlayReply } from './reply.ts';
import { readReviewsPage, reviewToItem, type ReviewsPage } from './reviews.ts';
import { configSchema, credentialsSchema, parseSettings, type GooglePlayConfig, type GooglePlayCredentials } from './settings.ts';

const PAGE_SIZE = 100;
// A week of reviews (all Google serves) for all but the busiest apps; beyond it the oldest of the week are left.
const MAX_PAGES = 20;
const MAX_REMEMBERED = PAGE_SIZE * MAX_PAGES;

async function reviewsPage(config: GooglePlayConfig, token: string, pageToken: string | null, maxResults: number, ctx: ConnectorContext): Promise<ReviewsPage> {
  const url = new URL(`${config.baseUrl}/androidpublisher/v3/applications/${encodeURIComponent(config.packageName)}/reviews`);
  url.searchParams.set('maxResults', String(maxResults));
  if (pageToken !== null) url.searchParams.set('token', pageToken);
  const response = await ctx.http.json({ url: url.toString(), headers: { Authorization: `Bearer ${token}` }, label: 'reviews.list' });
  return readReviewsPage(response.body);
}

/**
 * Google Play reviews with the developer's replies, from the Play Developer API,
 * signed in as a service account. The cursor is `{ seen }`: which versions of
 * which reviews were reported.
 */
export const googlePlay: Connector<GooglePlayConfig, GooglePlayCredentials> = {
  id: 'google_play',
  version: '1.0.0',
  displayName: 'Google Play',
  shortName: 'Google Play',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  defaultPollMinutes: 30,
  // Google's Reply to Reviews quota: 200 GET requests (list or get) an hour per app.
  budget: { requests: 200, windowSeconds: 3600 },
  capabilities: { hasRatings: true, detectsOwnerReplies: true, seesEdits: true, push: false, maxItemsPerPoll: PAGE_SIZE * MAX_PAGES },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    const token = await signIn(config, credentials, ctx);
    await reviewsPage(config, token, null, 1, ctx);
  },
  /**
   * Google only serves the last week's reviews, newest change first, and a developer
   * reply does not move a review up the list; so every poll reads the whole week
   * (usually one page) and reports the reviews that are new, edited or newly answered.
   */
  async *fetch(config, credentials, cursor, ctx): AsyncGenerator<Page> {
    let seen = readSeenVersions(isRecord(cursor) ? cursor.seen : null);
    const token = await signIn(config, credentials, ctx);
    let pageToken: string | null = null;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { reviews, nextPageToken } = await reviewsPage(config, token, pageToken, PAGE_SIZE, ctx);
      const items = reviews.map((review) => reviewToItem(review, config.packageName));
      const unreported = unreportedItems(items, seen);
      seen = rememberVersions(seen, items, MAX_REMEMBERED);
      yield { items: unreported, cursor: { seen } };
      if (nextPageToken === null || reviews.length === 0) return;
      pageToken = nextPageToken;
    }
    ctx.log.warn({ pages: MAX_PAGES }, 'google_play stopped at the page limit; the oldest reviews of the week are not read');
  },
  reply: googlePlayReply,
};
