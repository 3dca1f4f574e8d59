import type { Connector } from '../../../connectors/contract.ts';
import type { PublishedState } from '../../../connectors/reply-contract.ts';

/**
 * The contract suite (suite.ts) runs the same scenarios over every connector. Each
 * connector supplies an adapter: a fake of its platform, served with nock in the
 * platform's real response shapes, driven by a FakePlatform the suite mutates
 * between runs.
 */

/** One review or post as the platform holds it; the adapter renders it in the platform's shape. */
export interface FakeItem {
  /** The platform's own id; the adapter turns it into whatever id the platform uses. */
  id: string;
  text: string;
  author: string;
  /** 1–5; ignored by platforms without ratings. */
  rating: number;
  publishedAt: Date;
  /** Set when the suite edits the item (platforms that show edits). */
  updatedAt: Date | null;
  /** Set when the owner replied (platforms that show replies), or when the fake accepted a reply. */
  ownerReply: FakeOwnerReply | null;
}

export interface FakeOwnerReply {
  text: string;
  at: Date;
  /** Moderation, for platforms that report it on the review (absent: published). */
  state?: PublishedState;
  /** The platform's reason, when `state` is 'rejected'. */
  reason?: string | null;
}

/** A response the next data request gets instead of the normal one. */
export type FakeFailure = { status: number; headers?: Record<string, string>; body: string } | 'malformed';

export interface FakePlatform {
  /** Newest first is NOT guaranteed; adapters sort as their platform does. */
  items: FakeItem[];
  /** Items per response page the fake serves (the adapter may clamp to the platform's maximum). */
  pageSize: number;
  /** Consumed one per data request, before serving items (auth/token requests are not data requests). */
  failures: FakeFailure[];
  /** Data requests served so far (for assertions about paging). */
  requests: number;
  /** The reply part: only adapters with `reply` read or write it. */
  replies: FakeReplies;
}

/**
 * THE REPLY PART of the fake platform, for connectors with `reply` (connectors/reply-contract.ts).
 *
 * How an adapter serves it, in `serve(platform)`, besides what it serves for reading:
 * - The read that `reply.current()` makes (the review or post as the platform shows it
 *   now): answer from `platform.items`; an item's `ownerReply` is the reply the platform
 *   shows, in the platform's shape (with its moderation `state`/`reason` where the
 *   platform reports them). Reads do not consume failures.
 * - Each reply write (publish; update and remove where the connector can): count it in
 *   `replies.requests`, then take one of `replies.failures` and answer it if there is
 *   one (storing the reply first when the failure says `afterStoring`: an unknown
 *   outcome). Otherwise accept it: push `{ itemId, text }` (the fake item's id) to
 *   `replies.posted` (or the item's id to `replies.removed`), set (or clear) the item's
 *   `ownerReply` with `state` and `reason` from `replies.moderation`, and answer as the
 *   platform does, reporting the moderation state where the platform reports it at once.
 * - Whatever else a reply needs (a token exchange, the instance's character limit, a
 *   remote status lookup) is served like any read.
 * Declare `reply` on the adapter (below) to run the suite's reply scenarios.
 */
export interface FakeReplies {
  /** Replies the platform accepted (new and updated), oldest first. */
  posted: Array<{ itemId: string; text: string }>;
  /** Fake item ids whose reply the platform removed. */
  removed: string[];
  /** Consumed one per reply write, before it is handled. */
  failures: FakeReplyFailure[];
  /** What the platform makes of the replies it accepts from now on. */
  moderation: { state: PublishedState; reason: string | null };
  /** Reply writes received so far, failed ones included. */
  requests: number;
}

export interface FakeReplyFailure {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** The platform stored the reply and then failed to answer (a timeout or 5xx after the write). */
  afterStoring?: boolean;
}

/** What the suite needs to know about an adapter's reply serving. */
export interface ReplyAdapter {
  /**
   * The states this fake can report when it accepts a reply; the first is what a plain
   * accepted reply gets (Google: 'published'; App Store: 'pending_moderation').
   */
  states: readonly [PublishedState, ...PublishedState[]];
}

export interface ContractAdapter {
  connector: Connector<any, any>;
  /** Raw source config and credentials as a user would POST them; baseUrl points at `origin`. */
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  /** The fake platform's origin, e.g. https://api.yelp.test (nock intercepts it). */
  origin: string;
  /** The externalId the connector must give the fake item with this id. */
  externalId(fakeId: string): string;
  /**
   * Registers persistent nock interceptors on `origin` answering from `platform` on
   * every request (read it at reply time: the suite changes it between runs).
   * 'malformed' failures must answer 200 with a body of the right content type but
   * the wrong shape (e.g. a list where an object belongs).
   */
  serve(platform: FakePlatform): void;
  /** Whether the platform pages (several responses per poll). */
  pages: boolean;
  /**
   * Mention connectors only keep texts containing one of their terms; the suite puts
   * this phrase in every fake text. Use the same phrase in `config.terms`.
   */
  term: string;
  /**
   * Present for connectors with `reply`: the adapter serves the reply part of the fake
   * (FakeReplies above) and `credentials` include what replying needs.
   */
  reply?: ReplyAdapter;
}
