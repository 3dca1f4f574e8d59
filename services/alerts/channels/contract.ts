/**
 * The alert-channel contract: what every way of telling someone (email, Slack, Teams,
 * a signed webhook, ntfy) implements, one folder per channel under this one, listed in
 * registry.ts. Like connectors, channels never touch the database, the queues or the
 * environment: everything they need arrives in `ctx`, and the core (deliveries, rules,
 * health) decides what an error means for the next attempt.
 */

import type { HttpClient, Logger } from '../../../connectors/contract.ts';
import type { MailTransport } from '../mail-transport.ts';

/** What an alert is about. Extensible: a channel renders any kind it does not know from `title` and `text`. */
export type AlertKind = 'negative_item' | 'source_notice' | 'test' | 'daily_digest' | 'weekly_digest' | 'weekly_report' | 'sla_overdue' | 'spike' | (string & {});

/** The item an alert is about: everything today's alert email carries (services/alerts/alert-email.ts). */
export interface AlertItem {
  /** Earshot's item id (the item page is `itemUrl`). */
  itemId: string;
  kind: 'review' | 'mention';
  businessName: string;
  /** The source's connector id, e.g. `google_places`: stable, for receivers that filter. */
  sourceType: string;
  /** What owners call the platform, e.g. "Google" (the connector's short name). */
  sourceName: string;
  /** 1–5, or null where the platform has no stars. */
  rating: number | null;
  author: string | null;
  title: string | null;
  /** The item's words, plain text. */
  text: string;
  /** When the platform says it was published, or when Earshot first saw it if the platform gives no date. */
  publishedAt: Date;
  /** The item on its platform, or null when the platform gives no link. */
  originalUrl: string | null;
  /** The item's page in Earshot: `<PUBLIC_URL>/items/<itemId>`. */
  itemUrl: string;
  /**
   * The analyzer's verdict, where the sender knows it: rules can send items that are not
   * negative, and `unknown` ones (a language it does not read) are worded "please look".
   */
  sentiment?: 'negative' | 'neutral' | 'positive' | 'unknown' | null;
}

/** One message, the same for every channel; each renders it in its native form. */
export interface AlertMessage {
  /**
   * The outbox delivery this message is. Receivers that can (the webhook) get it to drop
   * repeats; email uses it for a fixed Message-ID.
   */
  deliveryId: string;
  kind: AlertKind;
  /** One line: an email subject, a notification title, a card heading. */
  title: string;
  /** The whole message as plain text: every channel's fallback, and the body where there is no richer form. */
  text: string;
  /**
   * An email-safe HTML body (tables and inline styles), for messages that have one (digests,
   * the weekly report): the email channel sends it; other channels use `text`.
   */
  html?: string;
  /** Present for item alerts (`negative_item`). */
  item?: AlertItem;
}

/** What the channel said when it accepted a message, kept on the delivery for inspection. */
export interface ChannelReceipt {
  /** e.g. the SMTP server's reply, or "HTTP 200 ok"; never a secret. */
  detail: string;
}

export interface FieldSpec {
  type: 'string' | 'string[]' | 'url';
  required: boolean;
  /**
   * Write-only: never returned whole by the API or shown on a page, and scrubbed from
   * error messages. A Slack, Teams or ntfy URL is a secret itself (whoever has it can post).
   */
  secret: boolean;
  description: string;
}

/**
 * - `config`: the channel cannot work as set up (bad URL, revoked webhook, refused address):
 *   the core marks it as needing attention and tells the owner once; retrying is pointless.
 * - `rate_limited`: try again after `retryAfterMs`.
 * - `transient`: nothing was delivered (refused connection, 5xx): retry with backoff.
 * - `unknown_outcome`: the request was sent and no answer came (a timeout mid-request);
 *   the message may have arrived. Never resent blindly: the core decides.
 */
export type ChannelErrorKind = 'config' | 'rate_limited' | 'transient' | 'unknown_outcome';

/** A failure a channel understands; anything else thrown by `send` is treated as `unknown_outcome`. */
export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  /** For rate_limited: how long to wait before the next attempt (from Retry-After). */
  readonly retryAfterMs: number | null;
  /** The receiver's HTTP status, where there was one. */
  readonly status: number | null;
  /** For config errors from `parseConfig`: the field at fault, e.g. `webhookUrl` or `to[1]`. */
  readonly field: string | null;

  constructor(
    kind: ChannelErrorKind,
    message: string,
    options: { retryAfterMs?: number | null; status?: number | null; field?: string | null; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.status = options.status ?? null;
    this.field = options.field ?? null;
  }
}

/** What `parseConfig` needs to know of the operator's settings. */
export interface ChannelRules {
  /** EARSHOT_ALLOW_PRIVATE_URLS: channel URLs may point at private and local addresses. */
  allowPrivateUrls: boolean;
}

export interface ChannelContext {
  /**
   * The connectors' guarded client (services/sources/http/connector-http.ts), made with the
   * channel's `type` as its platform: timeouts, the private-address guard and status mapping.
   */
  http: HttpClient;
  /** For the email channel: the transport and the From address of every alert email. */
  mail: { transport: MailTransport; from: string };
  log: Logger;
  now(): Date;
  signal: AbortSignal;
}

export interface Channel<C = Record<string, unknown>, K = Record<string, string>> {
  /** The `type` a channel is created with: `email`, `slack`, … */
  type: string;
  /** As a settings screen names it, e.g. "Microsoft Teams". */
  displayName: string;
  configSchema: Record<string, FieldSpec>;
  credentialsSchema: Record<string, FieldSpec>;
  /**
   * True when the receiver is given the delivery id and documented to drop repeats (the
   * webhook's `X-Earshot-Delivery`): an unknown outcome is then safe to retry, and the
   * channel reports a timeout as `transient` instead of `unknown_outcome`.
   */
  receiverDropsRepeats: boolean;
  /**
   * Validates and normalises what the owner entered; throws ChannelError('config') with
   * `field` set and a message naming it. URLs must pass the private-address rule.
   */
  parseConfig(config: Record<string, unknown>, credentials: Record<string, unknown>, rules: ChannelRules): { config: C; credentials: K };
  /**
   * A cheap proof that the channel is set up, sending nothing anyone sees, where the channel
   * allows one; a no-op (documented on the channel) where only a real message proves it —
   * the "send a test" button is then the proof.
   */
  check(config: C, credentials: K, ctx: ChannelContext): Promise<void>;
  /** Delivers one message; throws ChannelError. */
  send(message: AlertMessage, config: C, credentials: K, ctx: ChannelContext): Promise<ChannelReceipt>;
}
