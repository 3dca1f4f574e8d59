import { badPayload, dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/** One message of a Pub/Sub pull (`receivedMessages[]`): what to acknowledge it by, and what it says. */
export interface ReceivedMessage {
  ackId: string;
  /** The message as Pub/Sub gave it: `data` (base64), `attributes`, `messageId`, `publishTime`. */
  message: Record<string, unknown>;
}

/** A Business Profile notification about one review. */
export interface ReviewNotification {
  type: 'NEW_REVIEW' | 'UPDATED_REVIEW';
  accountId: string;
  locationId: string;
  reviewId: string;
  /** When Pub/Sub published it: where latency is counted from. */
  publishedAt: Date | null;
}

/**
 * The answer to `POST /v1/{subscription}:pull`: `{receivedMessages: [{ackId, message}]}`,
 * or `{}` when nothing is waiting. A message without an ackId cannot be acknowledged, nor
 * read: the answer as a whole is unreadable.
 */
export function readPulledMessages(body: unknown): ReceivedMessage[] {
  const label = 'google_business Pub/Sub pull';
  if (!isRecord(body)) throw badPayload(`${label}: the response is not a JSON object`, body);
  const received = body.receivedMessages ?? [];
  if (!Array.isArray(received)) throw badPayload(`${label}: "receivedMessages" is not a list`, body);
  return received.map((entry: unknown, index) => {
    const ackId = isRecord(entry) ? stringOrNull(entry.ackId) : null;
    if (ackId === null || !isRecord(entry) || !isRecord(entry.message)) throw badPayload(`${label}: receivedMessages[${index}] has no "ackId" or "message"`, body);
    return { ackId, message: entry.message };
  });
}

const REVIEW_NAME = /^accounts\/([^/]+)\/locations\/([^/]+)\/reviews\/([^/]+)$/;
const REVIEW_TYPES = new Set(['NEW_REVIEW', 'UPDATED_REVIEW']);

/**
 * What a Business Profile notification says. Its `data` is base64 JSON naming the
 * notification's type and the review (`accounts/{a}/locations/{l}/reviews/{r}`); Google's
 * reference calls the fields `reviewName` and `locationName` (`review_name`, `location_name`
 * in the v1 notes, `review` and `location` in messages seen in practice): all are read.
 * Notifications of other types (GOOGLE_UPDATE, NEW_QUESTION…) are null: nothing to store.
 * Anything unreadable is thrown, naming what is wrong.
 */
export function readReviewNotification(message: Record<string, unknown>): ReviewNotification | null {
  const data = stringOrNull(message.data);
  if (data === null) throw new Error('the message has no data');
  let notification: unknown;
  try {
    notification = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new Error('the message data is not base64 JSON');
  }
  if (!isRecord(notification)) throw new Error('the message data is not a JSON object');
  const attributes = isRecord(message.attributes) ? message.attributes : {};
  const type = stringOrNull(notification.type) ?? stringOrNull(notification.notificationType) ?? stringOrNull(attributes.type);
  if (type === null) throw new Error('the notification has no "type"');
  if (!REVIEW_TYPES.has(type)) return null;
  const name = stringOrNull(notification.reviewName) ?? stringOrNull(notification.review_name) ?? stringOrNull(notification.review);
  const parts = name === null ? null : REVIEW_NAME.exec(name);
  if (parts === null) throw new Error(`the ${type} notification names no review as "accounts/…/locations/…/reviews/…"`);
  return {
    type: type as ReviewNotification['type'],
    accountId: decodeURIComponent(parts[1]!),
    locationId: decodeURIComponent(parts[2]!),
    reviewId: decodeURIComponent(parts[3]!),
    publishedAt: dateOrNull(message.publishTime),
  };
}
