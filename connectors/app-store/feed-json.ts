import { badPayload, dateOrNull, isRecord } from '../payload-shape.ts';

/**
 * The JSON customer-reviews feed: `{ feed: { entry, link, … } }`, every value wrapped
 * as `{ label }`. Apple's quirks: `entry` is a list, a single object when there is
 * one review, and absent when there are none; older feeds put an entry describing
 * the app first (it has no `im:rating`); ratings are strings "1"…"5"; and the JSON
 * often has no per-entry `updated` (the XML variant of the same page always does).
 */
export interface FeedReview {
  id: string;
  rating: number | null;
  title: string | null;
  body: string;
  author: string | null;
  version: string | null;
  /** When the review (its latest version) was written; null when this variant of the feed does not say. */
  updated: Date | null;
  raw: unknown;
}

export interface FeedPage {
  reviews: FeedReview[];
  /** The number of the feed's last page (from its `last` link), or null when the feed does not say. */
  lastPage: number | null;
}

export function label(value: unknown): string | null {
  if (!isRecord(value) || typeof value.label !== 'string') return null;
  return value.label;
}

export function ratingFrom(text: string | null): number | null {
  if (text === null || !/^\s*[1-5]\s*$/.test(text)) return null;
  return Number(text.trim());
}

/** `…/page=8/id=…/sortby=mostrecent/xml?…` → 8. */
export function pageNumberIn(href: string): number | null {
  const match = /\/page=(\d{1,3})\//i.exec(href);
  return match === null ? null : Number(match[1]);
}

function lastPageOf(links: unknown): number | null {
  const list = Array.isArray(links) ? links : [links];
  for (const link of list) {
    const attributes = isRecord(link) && isRecord(link.attributes) ? link.attributes : null;
    if (attributes?.rel === 'last' && typeof attributes.href === 'string') return pageNumberIn(attributes.href);
  }
  return null;
}

export function readJsonFeed(body: unknown, what: string): FeedPage {
  if (!isRecord(body) || !isRecord(body.feed)) throw badPayload(`${what}: the response has no "feed" object`, body);
  const { feed } = body;
  const entries = feed.entry === undefined ? [] : Array.isArray(feed.entry) ? feed.entry : [feed.entry];
  const reviews: FeedReview[] = [];
  for (const [index, entry] of entries.entries()) {
    if (!isRecord(entry)) throw badPayload(`${what}: entry ${index} is not an object`, body);
    // The app-metadata entry of older feeds is not a review.
    if (entry['im:rating'] === undefined) continue;
    const id = label(entry.id);
    if (id === null || id.trim() === '') throw badPayload(`${what}: review entry ${index} has no id`, body);
    const author = isRecord(entry.author) ? label(entry.author.name) : null;
    reviews.push({
      id: id.trim(),
      rating: ratingFrom(label(entry['im:rating'])),
      title: nonEmpty(label(entry.title)),
      body: label(entry.content) ?? '',
      author: nonEmpty(author),
      version: nonEmpty(label(entry['im:version'])),
      updated: dateOrNull(label(entry.updated)),
      raw: entry,
    });
  }
  return { reviews, lastPage: lastPageOf(feed.link) };
}

export function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}
