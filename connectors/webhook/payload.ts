import { API_DATE_DESCRIPTION, parseApiDate } from '../../services/api/api-date.ts';
import type { NormalizedItem } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';

/** A pushed payload that does not fit; `field` names where, e.g. `items[2].rating`. */
export class WebhookPayloadError extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'WebhookPayloadError';
    this.field = field;
  }
}

export const MAX_ITEMS_PER_REQUEST = 500;
/** Clock drift a sender may have; an item dated later than this would sort first for years. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** No review site predates this; an earlier date is a placeholder or a bug (the same rule as polled items). */
const EARLIEST = Date.UTC(1970, 0, 1);

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new WebhookPayloadError(field, 'must be a string');
  if (value.length > max) throw new WebhookPayloadError(field, `must be at most ${max} characters`);
  return value === '' ? null : value;
}

/** The API's one date rule (a plain date is midnight UTC), from 1970 up to five minutes from now. */
function optionalDate(value: unknown, field: string, now: Date): Date | null {
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? parseApiDate(value) : undefined;
  if (date === undefined) throw new WebhookPayloadError(field, `must be ${API_DATE_DESCRIPTION}`);
  if (date.getTime() < EARLIEST) throw new WebhookPayloadError(field, 'must not be before 1970-01-01');
  if (date.getTime() > now.getTime() + MAX_FUTURE_MS) {
    throw new WebhookPayloadError(field, 'must not be more than 5 minutes in the future: send the time the review was written, with its offset (e.g. Z)');
  }
  return date;
}

function optionalUrl(value: unknown, field: string): string | null {
  const text = optionalText(value, field, 2000);
  if (text === null) return null;
  if (!/^https?:\/\//i.test(text)) throw new WebhookPayloadError(field, 'must be an http(s) URL');
  return text;
}

function readItem(value: unknown, at: string, now: Date): NormalizedItem {
  if (!isRecord(value)) throw new WebhookPayloadError(at, 'must be an object');
  const id = optionalText(value.id, `${at}.id`, 500);
  if (id === null) throw new WebhookPayloadError(`${at}.id`, 'is required (the platform id of the review or post)');
  const kind = value.kind ?? 'review';
  if (kind !== 'review' && kind !== 'mention') throw new WebhookPayloadError(`${at}.kind`, 'must be "review" or "mention"');
  const rating = value.rating ?? null;
  if (rating !== null && (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5)) {
    throw new WebhookPayloadError(`${at}.rating`, 'must be a whole number from 1 to 5');
  }
  const body = optionalText(value.body, `${at}.body`, 50_000) ?? '';
  const title = optionalText(value.title, `${at}.title`, 1000);
  if (body === '' && title === null && rating === null) throw new WebhookPayloadError(`${at}.body`, 'is required when there is no title or rating');
  let ownerReply: NormalizedItem['ownerReply'] = null;
  if (value.ownerReply !== undefined && value.ownerReply !== null) {
    if (!isRecord(value.ownerReply)) throw new WebhookPayloadError(`${at}.ownerReply`, 'must be an object');
    const text = optionalText(value.ownerReply.text, `${at}.ownerReply.text`, 50_000);
    if (text === null) throw new WebhookPayloadError(`${at}.ownerReply.text`, 'is required');
    ownerReply = { text, at: optionalDate(value.ownerReply.at, `${at}.ownerReply.at`, now) };
  }
  return {
    externalId: id,
    kind,
    url: optionalUrl(value.url, `${at}.url`),
    author: optionalText(value.author, `${at}.author`, 500),
    rating,
    title,
    body,
    language: optionalText(value.language, `${at}.language`, 20),
    publishedAt: optionalDate(value.publishedAt, `${at}.publishedAt`, now),
    updatedAt: optionalDate(value.updatedAt, `${at}.updatedAt`, now),
    ownerReply,
    raw: value,
  };
}

export interface WebhookPayload {
  items: NormalizedItem[];
  /** Platform ids of reviews or posts that no longer exist. */
  removed: string[];
}

function readRemoved(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new WebhookPayloadError('body.removed', 'must be a list of platform ids');
  if (value.length > MAX_ITEMS_PER_REQUEST) throw new WebhookPayloadError('body.removed', `must have at most ${MAX_ITEMS_PER_REQUEST} entries per request`);
  return value.map((id, index) => {
    const text = optionalText(id, `body.removed[${index}]`, 500);
    if (text === null) throw new WebhookPayloadError(`body.removed[${index}]`, 'must be a platform id');
    return text;
  });
}

/**
 * `{ "items": [ … ], "removed": [ "id", … ] }`, either list optional but not both:
 * every entry is checked before anything is stored. Text is taken as sent: characters
 * the database cannot hold (U+0000, half a surrogate pair) are replaced when stored,
 * like any platform's (services/ingest/normalize-item.ts).
 */
export function readWebhookPayload(text: string, now: Date): WebhookPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebhookPayloadError('body', 'is not valid JSON');
  }
  if (!isRecord(parsed)) throw new WebhookPayloadError('body', 'must be an object with "items" and/or "removed"');
  const removed = readRemoved(parsed.removed);
  if (parsed.items === undefined && parsed.removed !== undefined) return { items: [], removed };
  if (!Array.isArray(parsed.items)) throw new WebhookPayloadError('body.items', 'must be a list');
  if (parsed.items.length > MAX_ITEMS_PER_REQUEST) throw new WebhookPayloadError('body.items', `must have at most ${MAX_ITEMS_PER_REQUEST} entries per request`);
  return { items: parsed.items.map((item, index) => readItem(item, `body.items[${index}]`, now)), removed };
}
