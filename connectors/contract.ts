/**
 * The connector contract: what every platform adapter under connectors/ implements.
 * Connectors never touch the database, the queues or the environment; everything
 * they need arrives in `ctx`.
 */

import type { PublishedState, ReplyCapability } from './reply-contract.ts';

export type ItemKind = 'review' | 'mention';

/** One review or mention, normalised. Every field the platform may omit is nullable. */
export interface NormalizedItem {
  externalId: string;
  kind: ItemKind;
  url: string | null;
  author: string | null;
  /** 1–5, or null where the platform has no stars. */
  rating: number | null;
  title: string | null;
  /** Plain text, HTML stripped. */
  body: string;
  language: string | null;
  publishedAt: Date | null;
  updatedAt: Date | null;
  ownerReply: OwnerReply | null;
  /** The platform's own object, kept for inspection. */
  raw: unknown;
}

/** The business's reply the platform shows under the item. */
export interface OwnerReply {
  text: string;
  at: Date | null;
  /**
   * The reply's moderation, where the platform reports it on every read (Google since
   * 2026: ReviewReplyState). Absent: the platform says nothing, and nothing is changed.
   * A later poll moves Earshot's own reply along (pending_moderation → published or
   * rejected); a rejected reply is not shown to the customer, so it answers nothing.
   */
  state?: PublishedState;
  /** The platform's reason when it rejected the reply (Google's PolicyViolation), in words. */
  reason?: string | null;
}

export interface Page {
  items: NormalizedItem[];
  /**
   * External ids the platform says no longer exist (deleted by their author or taken
   * down). Only a platform that tells can fill this: absence from a listing proves
   * nothing where the platform shows only a window of recent items.
   */
  removed?: string[];
  /** Opaque to the core; saved in the same transaction as the page's items. */
  cursor: unknown;
}

/** What a platform says today about items asked for by id. */
export interface Recheck {
  /** Items it still shows, as it shows them now: an edit is seen as in any page. */
  items: NormalizedItem[];
  /** Ids it says no longer exist (deleted by their author or taken down). */
  removed: string[];
}

export interface Capabilities {
  hasRatings: boolean;
  detectsOwnerReplies: boolean;
  seesEdits: boolean;
  push: boolean;
  /** The most items the platform lets anyone read per poll, or null if unbounded. */
  maxItemsPerPoll: number | null;
}

export interface FieldSpec {
  type: 'string' | 'string[]' | 'url';
  required: boolean;
  secret: boolean;
  description: string;
}

export type ErrorKind = 'config' | 'rate_limited' | 'transient' | 'bad_payload';

/** A failure a connector understands; anything else is treated as transient. */
export class ConnectorError extends Error {
  readonly kind: ErrorKind;
  /** For rate_limited: how long to wait before the next call. */
  readonly retryAfterMs: number | null;
  /** For bad_payload: the offending response body, kept for inspection. */
  readonly payload: string | null;
  readonly status: number | null;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { retryAfterMs?: number | null; payload?: string | null; status?: number | null; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.payload = options.payload ?? null;
    this.status = options.status ?? null;
  }
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Serialised as JSON when an object. */
  body?: unknown;
  /** Names the request in errors and logs instead of the URL (which may carry a key). */
  label: string;
  /**
   * Statuses besides 2xx that are an answer, returned instead of thrown: a lookup's
   * 404 or 410 means "gone", not "misconfigured".
   */
  answers?: number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface HttpClient {
  /**
   * Sends a request within the platform's shared budget, with timeouts and the
   * private-address guard. 2xx → response; 401/403/404 → ConnectorError('config');
   * 429 → 'rate_limited'; 5xx, timeouts and network errors → 'transient'.
   */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** As `send`, then parses the body as JSON (a parse failure is 'bad_payload'). */
  json(request: HttpRequest): Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ConnectorContext {
  http: HttpClient;
  log: Logger;
  now(): Date;
  signal: AbortSignal;
}

export interface Connector<C = Record<string, unknown>, K = Record<string, string>> {
  id: string;
  version: string;
  /** The platform as a settings screen names it, e.g. "Google (Places API)"; labels response-time rows. */
  displayName: string;
  /** What owners call the platform in an email ("New 1-star Google review"), e.g. "Google". */
  shortName: string;
  /**
   * Whether the business can answer this platform's items — on the platform, or off it and
   * marked `respond` in Earshot — so they count in the response-time figures. A news article
   * or blog post found through a feed takes no reply: such items are counted apart. Whether
   * the platform *shows* the owner's reply is another matter (`capabilities.detectsOwnerReplies`).
   */
  repliable: boolean;
  kind: ItemKind;
  configSchema: Record<string, FieldSpec>;
  credentialsSchema: Record<string, FieldSpec>;
  defaultPollMinutes: number;
  /** Requests per window shared by every worker, for this platform. */
  budget: { requests: number; windowSeconds: number };
  capabilities: Capabilities;
  /** Validates and normalises user config; throws ConnectorError('config') naming the field. */
  parseConfig(config: Record<string, unknown>, credentials: Record<string, string>): { config: C; credentials: K };
  /** One cheap call that proves the credentials. */
  check(config: C, credentials: K, ctx: ConnectorContext): Promise<void>;
  /** Pages of items new or changed since `cursor` (null on the first poll). */
  fetch(config: C, credentials: K, cursor: unknown, ctx: ConnectorContext): AsyncIterable<Page>;
  /**
   * Optional: looks up stored items by external id, for platforms whose listings show
   * only recent items, so that an older review's edit or removal is still seen (the
   * core asks about items awaiting a re-review). An id neither found nor plainly
   * reported gone (an unclear answer) is in neither list: silence proves nothing.
   */
  recheck?(config: C, credentials: K, externalIds: string[], ctx: ConnectorContext): Promise<Recheck>;
  /** Optional: publishing the business's reply on the platform (connectors/reply-contract.ts). */
  reply?: ReplyCapability<C, K>;
}
