import type { Item } from '../../db/schema.ts';

/**
 * The earliest-answer rule, the only place it is written. An item's first response
 * is the earliest of the owner reply seen on the platform, the first `respond` in
 * Earshot, and a reply published from Earshot (dated when the platform accepted it);
 * response-time figures measure it (docs: "Response time, defined once").
 * Ingest applies it when it sees a platform reply, the inbox when someone responds,
 * the replies outbox when a reply is published. No SQL re-derives it: the callers pass
 * the decided values to the repositories. A published reply is also stored as the
 * item's owner reply, so the poll that later sees it on the platform finds the item
 * already answered and counts nothing twice.
 */

export type ResponseSource = NonNullable<Item['first_response_source']>;

export interface FirstResponse {
  at: Date;
  source: ResponseSource;
}

/** The first response an item has on record; both columns are set together, or neither. */
export function storedFirstResponse(item: Pick<Item, 'first_response_at' | 'first_response_source'>): FirstResponse | null {
  return item.first_response_at === null || item.first_response_source === null ? null : { at: item.first_response_at, source: item.first_response_source };
}

/**
 * The first response once `candidate` is known. The earlier answer wins, whoever gave
 * it; on a tie the one already known stays, so a repeated sighting changes nothing.
 */
export function firstResponseAfter(known: FirstResponse | null, candidate: FirstResponse): FirstResponse {
  return known === null || candidate.at < known.at ? candidate : known;
}

/** The earlier of two instants, keeping the known one on a tie (an item's `responded_at`). */
export function earliest(known: Date | null, candidate: Date): Date {
  return known === null || candidate < known ? candidate : known;
}

/** A backdated answer (`at` of a `respond`) placed before the item was published. */
export class AnswerBeforePublication extends Error {
  readonly publishedAt: Date;
  constructor(publishedAt: Date) {
    super(`the answer is dated before the item was published (${publishedAt.toISOString()})`);
    this.name = 'AnswerBeforePublication';
    this.publishedAt = publishedAt;
  }
}

/** A backdated answer (`at` of a `respond`) that has not happened yet. */
export class AnswerInTheFuture extends Error {
  constructor() {
    super('the answer is dated in the future');
    this.name = 'AnswerInTheFuture';
  }
}

/** An answer dated a little ahead of the server's clock is a clock difference, not the future. */
const CLOCK_SKEW_MS = 60_000;

/**
 * When an answer recorded in Earshot happened: now, or earlier when the caller says
 * so (a phone call an hour ago), but never before the item was published, nor later
 * than now.
 */
export function answerTime(claimed: Date | undefined, publishedAt: Date | null, now: Date): Date {
  if (claimed === undefined) return now;
  if (claimed.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AnswerInTheFuture();
  if (publishedAt !== null && claimed < publishedAt) throw new AnswerBeforePublication(publishedAt);
  return claimed;
}

/** A reply the platform does not date is dated when Earshot first sees it. */
export function platformReplyTime(platformDate: Date | null | undefined, seenAt: Date): Date {
  return platformDate ?? seenAt;
}

