/**
 * The reply capability: how a connector publishes the business's answer to a review
 * or post on the platform itself. Optional on a connector (`Connector.reply`); a
 * platform without a reply API simply has none, and the web app offers the manual way.
 *
 * The core keeps every reply as an outbox row (services/replies/) and calls these
 * functions from a claimed job, so a connector only speaks to the platform. Errors are
 * the contract's `ConnectorError`: `config` (401/403/404: credentials or access
 * missing; the reply fails with what to do), `rate_limited` (retried after the wait),
 * `transient` (retried with backoff), `bad_payload`.
 */
import type { ConnectorContext } from './contract.ts';

/** What the reply answers: the stored item, as ingest kept it. */
export interface ReplyTarget {
  externalId: string;
  url: string | null;
  /** The platform's own object (e.g. Bluesky's post with its uri and cid). */
  raw: unknown;
  publishedAt: Date | null;
  /** Whether the item has text (Google Play refuses replies to rating-only reviews). */
  hasText: boolean;
}

/** How the platform measures the reply's length. */
export type LengthUnit = 'bytes' | 'characters' | 'graphemes';

export interface ReplyLimits {
  maxLength: number;
  unit: LengthUnit;
}

/** The owner reply the platform shows now, as far as the platform tells. */
export interface CurrentReply {
  text: string;
  at: Date | null;
  /** The platform's id of the reply, where it has one (a Bluesky post uri, a Mastodon status id). */
  platformReplyId: string | null;
}

/** What became of a published reply, as the platform said when it accepted it. */
export type PublishedState = 'published' | 'pending_moderation' | 'rejected';

export interface PublishedReply {
  state: PublishedState;
  /** The platform's reason, when it rejected the reply (e.g. Google's PolicyViolation). */
  reason: string | null;
  platformReplyId: string | null;
  /** When the platform accepted it; null: the time of the request. */
  at: Date | null;
  /** Where to see the reply, when the platform gives it. */
  url: string | null;
}

/** A reply that cannot be sent as asked; the core shows the message to the person. */
export class ReplyRefused extends Error {
  /** `too_long` and `not_allowed` (e.g. a Google Play review older than 7 days) are the person's to fix. */
  readonly reason: 'too_long' | 'not_allowed';
  constructor(reason: 'too_long' | 'not_allowed', message: string) {
    super(message);
    this.name = 'ReplyRefused';
    this.reason = reason;
  }
}

export interface ReplyCapability<C = Record<string, unknown>, K = Record<string, string>> {
  /** Whether a published reply can be changed in place (Google, Trustpilot: posting again replaces it). */
  canUpdate: boolean;
  /** Whether a published reply can be removed. */
  canDelete: boolean;
  /** Credentials (keys of the connector's credentialsSchema) a reply needs beyond reading. */
  credentialsNeeded: readonly string[];
  /** What an owner must add to set replies up, in plain words (shown beside "replies not set up"). */
  setUp: string;
  /** The length limit; may ask the platform (Mastodon's limit is the instance's). */
  limits(config: C, credentials: K, ctx: ConnectorContext): Promise<ReplyLimits>;
  /**
   * Refuses, before the undo window starts, what the platform would refuse whatever the
   * text (throws ReplyRefused `not_allowed`): e.g. Google Play's 7-day window.
   */
  checkTarget?(target: ReplyTarget, now: Date): void;
  /**
   * The owner reply the platform shows now, or null. Read before every publish, so a
   * retry after an unknown outcome never posts twice, and a colleague's reply sent in
   * the platform's own app is never overwritten (Bluesky and Mastodon: our own account's
   * reply to the post).
   */
  current(config: C, credentials: K, target: ReplyTarget, ctx: ConnectorContext): Promise<CurrentReply | null>;
  /** Publishes `text`; with `replacing`, updates that reply where the platform allows. */
  publish(config: C, credentials: K, target: ReplyTarget, text: string, ctx: ConnectorContext, replacing?: CurrentReply): Promise<PublishedReply>;
  /** Removes a published reply (only when `canDelete`). */
  remove?(config: C, credentials: K, target: ReplyTarget, reply: CurrentReply, ctx: ConnectorContext): Promise<void>;
}

/** Length as the platform counts it. */
export function replyLength(text: string, unit: LengthUnit): number {
  if (unit === 'bytes') return Buffer.byteLength(text, 'utf8');
  if (unit === 'characters') return [...text].length;
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
}
