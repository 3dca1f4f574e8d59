import type { NormalizedItem } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';
import { reviewToItem, type TrustpilotReview } from './reviews.ts';

/**
 * Trustpilot's service review webhooks, as its Business app posts them to a subscription URL:
 * `{"events": [{"eventName": "service-review-created" | "service-review-updated" |
 * "service-review-deleted", "version": "1", "eventData": {review}}]}`, the review being
 * `{id, stars, title, text, language, createdAt, isVerified, referenceId, locationId, link,
 * consumer: {id, name, link}, tags}` (support.trustpilot.com, "How to set up Trustpilot
 * Webhooks"). The created event's shape is documented; the updated and deleted ones are read
 * the same way, of which only `id` is relied on for a deletion.
 */
export const WEBHOOK_EVENTS = {
  created: 'service-review-created',
  revised: 'service-review-updated',
  deleted: 'service-review-deleted',
} as const;

/** A request that does not fit; `field` names where, e.g. `body.events[1].eventData.stars`. */
export class TrustpilotWebhookError extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'TrustpilotWebhookError';
    this.field = field;
  }
}

export interface TrustpilotWebhookBatch {
  /** Created and revised reviews, normalised exactly as the poll normalises them. */
  items: NormalizedItem[];
  /**
   * Reviews that only a creation announced in this request: to be stored if new and
   * otherwise left alone, so a creation Trustpilot delivers again late (a retry after an
   * edit) never turns the review back into its first words.
   */
  onlyIfNew: Set<string>;
  /** Ids of deleted reviews. */
  removed: string[];
  /** Events of other kinds (product reviews, say, when the same URL is subscribed to them too). */
  ignored: number;
}

export const MAX_EVENTS_PER_REQUEST = 500;
// Trustpilot's ids are 24 hex digits; the poll's business unit id rule, a little wider.
const REVIEW_ID = /^[A-Za-z0-9]{1,64}$/;

/** Checks the whole request before anything is stored; `arrivedAt` dates a revision Trustpilot leaves undated. */
export function readWebhookEvents(body: unknown, arrivedAt: Date): TrustpilotWebhookBatch {
  if (!isRecord(body)) throw new TrustpilotWebhookError('body', 'must be a JSON object with "events"');
  const events = body.events;
  if (!Array.isArray(events)) throw new TrustpilotWebhookError('body.events', 'must be a list of events');
  if (events.length > MAX_EVENTS_PER_REQUEST) throw new TrustpilotWebhookError('body.events', `must hold at most ${MAX_EVENTS_PER_REQUEST} events`);
  const batch: TrustpilotWebhookBatch = { items: [], onlyIfNew: new Set(), removed: [], ignored: 0 };
  const revised = new Set<string>();
  for (const [index, event] of events.entries()) {
    const field = `body.events[${index}]`;
    if (!isRecord(event)) throw new TrustpilotWebhookError(field, 'must be an object');
    if (typeof event.eventName !== 'string') throw new TrustpilotWebhookError(`${field}.eventName`, 'must be a string');
    const kind = Object.values<string>(WEBHOOK_EVENTS).includes(event.eventName) ? event.eventName : null;
    if (kind === null) {
      batch.ignored++;
      continue;
    }
    const review = readReview(event.eventData, `${field}.eventData`);
    if (kind === WEBHOOK_EVENTS.deleted) {
      batch.removed.push(review.id);
      continue;
    }
    if (kind === WEBHOOK_EVENTS.revised) revised.add(review.id);
    else batch.onlyIfNew.add(review.id);
    const item = reviewToItem(asPolledReview(review));
    // An edit Trustpilot does not date happened at the latest when it was announced.
    batch.items.push(kind === WEBHOOK_EVENTS.revised ? { ...item, updatedAt: item.updatedAt ?? arrivedAt } : item);
  }
  for (const id of revised) batch.onlyIfNew.delete(id);
  return batch;
}

function readReview(value: unknown, field: string): TrustpilotReview {
  if (!isRecord(value)) throw new TrustpilotWebhookError(field, 'must be the review, an object');
  const { id, stars, title, text, createdAt } = value;
  if (typeof id !== 'string' || !REVIEW_ID.test(id)) throw new TrustpilotWebhookError(`${field}.id`, 'must be the review id, 1 to 64 letters and digits');
  if (stars !== undefined && !(typeof stars === 'number' && Number.isInteger(stars) && stars >= 1 && stars <= 5)) {
    throw new TrustpilotWebhookError(`${field}.stars`, 'must be a whole number from 1 to 5');
  }
  for (const [name, content] of [['title', title], ['text', text]] as const) {
    if (content !== undefined && content !== null && typeof content !== 'string') throw new TrustpilotWebhookError(`${field}.${name}`, 'must be a string');
  }
  if (createdAt !== undefined && (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)))) {
    throw new TrustpilotWebhookError(`${field}.createdAt`, 'must be a date-time such as "2026-03-02T11:48:09.000Z"');
  }
  return { ...value, id };
}

/**
 * The webhook names the reviewer `consumer.name` where the reviews listing says
 * `consumer.displayName`: renamed, the review normalises to the very item the poll makes
 * (same external id, author, stars, words and dates), so a later poll changes nothing.
 */
function asPolledReview(review: TrustpilotReview): TrustpilotReview {
  const consumer = isRecord(review.consumer) ? review.consumer : {};
  return { ...review, consumer: { ...consumer, displayName: consumer.displayName ?? consumer.name } };
}
