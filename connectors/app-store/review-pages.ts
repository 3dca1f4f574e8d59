import { ConnectorError, type ConnectorContext, type NormalizedItem } from '../contract.ts';
import { readJsonFeed, type FeedPage, type FeedReview } from './feed-json.ts';
import { readXmlFeed } from './feed-xml.ts';
import type { AppStoreConfig } from './settings.ts';

/** Apple serves 50 reviews a page and at most 10 pages: about the 500 most recent per storefront. */
export const PAGE_SIZE = 50;
export const MAX_PAGES = 10;

function feedUrl(config: AppStoreConfig, country: string, page: number, format: 'json' | 'xml'): string {
  return `${config.baseUrl}/${country}/rss/customerreviews/page=${page}/id=${config.appId}/sortby=mostrecent/${format}`;
}

/**
 * Apple has no key to be wrong here, and its feed servers answer 403 when overloaded
 * or throttling a caller: that is a reason to back off and retry, not to ask the
 * owner to fix the source. 401 and 404 still mean the settings are wrong.
 */
async function guarded<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ConnectorError && error.status === 403) {
      throw new ConnectorError('transient', `${error.message} (Apple refuses feed requests like this when it is overloaded; retrying later)`, {
        status: 403,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * One page of a storefront's reviews, newest first. The JSON feed often leaves out
 * each review's `updated` time; then the XML variant of the same page is read for
 * the times (matched by review id; a review that moved to another page between the
 * two requests stays undated until the next poll).
 */
export async function readReviewPage(ctx: ConnectorContext, config: AppStoreConfig, country: string, page: number): Promise<FeedPage> {
  const what = `customer reviews (${country}, page ${page})`;
  const response = await guarded(() => ctx.http.json({ url: feedUrl(config, country, page, 'json'), label: what }));
  const feed = readJsonFeed(response.body, `app_store ${what}`);
  if (feed.reviews.every((review) => review.updated !== null)) return feed;
  const xmlWhat = `customer reviews XML (${country}, page ${page})`;
  const xml = await guarded(() =>
    ctx.http.send({ url: feedUrl(config, country, page, 'xml'), headers: { accept: 'application/atom+xml, application/xml;q=0.9, */*;q=0.1' }, label: xmlWhat }),
  );
  const times = new Map(readXmlFeed(xml.text, `app_store ${xmlWhat}`).reviews.map((review) => [review.id, review.updated]));
  return { ...feed, reviews: feed.reviews.map((review) => ({ ...review, updated: review.updated ?? times.get(review.id) ?? null })) };
}

/** Whether a storefront has pages after `page`. */
export function hasMorePages(feed: FeedPage, page: number): boolean {
  if (page >= MAX_PAGES || feed.reviews.length === 0) return false;
  return feed.lastPage !== null ? page < feed.lastPage : feed.reviews.length >= PAGE_SIZE;
}

/**
 * Apple gives one time per review, that of its latest version; it is both the
 * published and the updated time (an edit moves it, and the changed text is
 * reported as a revision of the same review). Apple has no review permalinks, so
 * the link is the app's reviews page in that storefront; the storefront does not
 * fix the language (Canada, Switzerland…), so language stays unknown.
 */
export function reviewToItem(review: FeedReview, config: AppStoreConfig, country: string): NormalizedItem {
  return {
    externalId: review.id,
    kind: 'review',
    url: `https://apps.apple.com/${country}/app/id${config.appId}?see-all=reviews`,
    author: review.author,
    rating: review.rating,
    title: review.title,
    body: review.body,
    language: null,
    publishedAt: review.updated,
    updatedAt: review.updated,
    ownerReply: null,
    raw: { storefront: country, appVersion: review.version, entry: review.raw },
  };
}
