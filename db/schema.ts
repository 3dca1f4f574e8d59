import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AlertRuleConditions, AlertRuleDelivery, AlertRuleTarget } from './alert-rule-shape.ts';

/** A timestamp read as a Date, written as a Date or an ISO string; defaulted by Postgres on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type Role = 'owner' | 'staff' | 'consultant';
export type SourceStatus = 'ok' | 'needs_attention' | 'paused' | 'failing';
export type ItemKind = 'review' | 'mention';
export type ItemStatus = 'new' | 'responded' | 'resolved';
export type SentimentLabel = 'negative' | 'neutral' | 'positive' | 'unknown';
/** The day weekly digests and the weekly report go out, as `businesses.digest_weekday` stores it. */
export type DigestWeekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
/** unknown: a channel send whose outcome cannot be known; never retried by itself. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unknown';
export type ReReviewChannel = 'email' | 'phone' | 'in_person' | 'platform_reply' | 'other';
export type ReReviewStatus = 'pending' | 'revised' | 'removed' | 'expired';

export interface AccountsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  account_id: string;
  role: Role;
  name: string;
  key_hash: string;
  key_prefix: string;
  business_ids: string[] | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface BusinessesTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  timezone: Generated<string>;
  alert_emails: string[];
  opening_hours: NullableJson<unknown>;
  sla_hours: Generated<number>;
  /** "HH:MM" local: when daily digests (and weekly ones, on digest_weekday) go out. */
  digest_time: Generated<string>;
  /** Spelled out, as the column's check says: 'monday' … 'sunday' (not the opening hours' 'mon'). */
  digest_weekday: Generated<DigestWeekday>;
  /** The weekly report email to the business's owners; on unless turned off. */
  weekly_report: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SourcesTable {
  id: string;
  account_id: string;
  business_id: string;
  type: string;
  config: Json<Record<string, unknown>>;
  /** AES-256-GCM envelope sealed by services/sources/credentials.ts; never leaves the server. */
  credentials: string | null;
  poll_every_minutes: number;
  next_poll_at: CreatedAt;
  claimed_slot: string | null;
  cursor: NullableJson<unknown>;
  status: Generated<SourceStatus>;
  last_polled_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_error_kind: string | null;
  last_error_message: string | null;
  last_error_at: NullableTimestamp;
  consecutive_failures: Generated<number>;
  quiet_since: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SourceBadPagesTable {
  id: Generated<string>;
  source_id: string;
  account_id: string;
  message: string;
  payload: string;
  created_at: CreatedAt;
}

/** Items a page held that could not be stored even after cleaning, kept for inspection. */
export interface SkippedItemsTable {
  id: Generated<string>;
  source_id: string;
  account_id: string;
  external_id: string;
  reason: string;
  payload: string;
  skipped_at: CreatedAt;
}

export interface ItemsTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  source_id: string;
  kind: ItemKind;
  external_id: string;
  url: string | null;
  author: string | null;
  rating: number | null;
  title: string | null;
  body: string;
  language: string | null;
  published_at: NullableTimestamp;
  platform_updated_at: NullableTimestamp;
  first_seen_at: CreatedAt;
  /** When the platform announced it (a stream event's time, a webhook's arrival), set on first insert; null when polled. */
  announced_at: NullableTimestamp;
  last_seen_at: CreatedAt;
  sort_at: Timestamp;
  content_hash: string;
  raw: NullableJson<unknown>;
  owner_reply_text: string | null;
  owner_reply_at: NullableTimestamp;
  sentiment_score: number | null;
  sentiment_label: SentimentLabel | null;
  flagged: Generated<boolean>;
  analyzed_at: NullableTimestamp;
  analyzer_version: string | null;
  /** What a negative item complains about (services/analysis/sentiment/topics.ts); empty otherwise. */
  topics: Generated<string[]>;
  status: Generated<ItemStatus>;
  first_response_at: NullableTimestamp;
  /** Which answer came first: seen on the platform, recorded in Earshot (`respond`), or a reply published from Earshot. */
  first_response_source: 'platform' | 'earshot' | 'reply' | null;
  responded_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  /** When the platform said the item is gone (deleted by its author or taken down). */
  removed_at: NullableTimestamp;
  /** Who works the item: a person's name or email, or a key's name (then `assignee_key_id` is set). */
  assignee: string | null;
  assignee_key_id: string | null;
  /** Set when the assignee is a person who signs in (their "Mine" tab); the name stays if they are removed. */
  assignee_user_id: string | null;
  updated_at: CreatedAt;
}

export interface ItemEventsTable {
  id: Generated<string>;
  item_id: string;
  account_id: string;
  type: string;
  actor: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  at: CreatedAt;
}

export interface ItemRevisionsTable {
  id: Generated<string>;
  item_id: string;
  account_id: string;
  rating_before: number | null;
  rating_after: number | null;
  title_before: string | null;
  title_after: string | null;
  body_before: string;
  body_after: string;
  platform_updated_at: NullableTimestamp;
  seen_at: CreatedAt;
}

export interface ReReviewRequestsTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  item_id: string;
  channel: ReReviewChannel;
  note: string | null;
  requested_by: string;
  requested_at: CreatedAt;
  /** The item's rating when the customer was asked. */
  rating_before: number | null;
  status: Generated<ReReviewStatus>;
  rating_after: number | null;
  closed_at: NullableTimestamp;
  /** While pending: when its item was last looked up on the platform. */
  last_checked_at: NullableTimestamp;
}

export interface AlertDeliveriesTable {
  id: Generated<string>;
  account_id: string;
  /** Exactly one of item_id (an item alert) and source_id (a notice about a source). */
  item_id: string | null;
  source_id: string | null;
  /** A one-time sign-in link (invitation or password reset) sent through the same outbox. */
  sign_in_link_id: string | null;
  /** Sent through this alert channel instead of by email to recipient; unique per item, channel and kind. */
  channel_id: string | null;
  /** A digest, weekly report or spike alert: about a business; unique per business, recipient, kind and incident. */
  business_id: string | null;
  /** Held by quiet hours: not sent before this instant; null sends at once. */
  send_after: NullableTimestamp;
  incident: Generated<string>;
  recipient: string;
  kind: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  claim_token: string | null;
  claimed_at: NullableTimestamp;
  last_error: string | null;
  /** When last_error happened; both are cleared once sent. */
  last_error_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** A person who signs in to the web app: one account, one role, optionally some businesses. */
export interface UsersTable {
  id: Generated<string>;
  account_id: string;
  /** Unique whatever its case. */
  email: string;
  display_name: string | null;
  /** scrypt, see services/people/passwords.ts; never leaves the server. */
  password_hash: string;
  role: Role;
  business_ids: string[] | null;
  /** The person's quiet hours, in each business's time zone; null: never quiet. */
  quiet_hours: NullableJson<QuietHoursSetting>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** A signed-in browser. Only the SHA-256 of its cookie is kept. */
export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  account_id: string;
  /** Proves a form was served by Earshot to this session. */
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  /** The absolute end; the idle end is last_seen_at plus the idle limit. */
  expires_at: Timestamp;
  user_agent: string | null;
}

export type SignInLinkPurpose = 'invitation' | 'password_reset';

/** A one-time link: an invitation to join an account, or a password reset. */
export interface SignInLinksTable {
  id: Generated<string>;
  account_id: string;
  purpose: SignInLinkPurpose;
  email: string;
  /** Invitations: the role and scope the person will have. */
  role: Role | null;
  business_ids: string[] | null;
  /** Password resets: whose password. */
  user_id: string | null;
  created_by: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** Sign-in attempts, counted to slow down password guessing per email and per address. */
export interface SignInAttemptsTable {
  id: Generated<string>;
  email: string;
  address: string;
  succeeded: boolean;
  at: CreatedAt;
}

export type ReplyStatus = 'scheduled' | 'sending' | 'published' | 'pending_moderation' | 'rejected' | 'failed' | 'stopped' | 'cancelled';

/** A reply to publish on the platform: an outbox row, written before anything is sent (services/replies/). */
export interface ItemRepliesTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  item_id: string;
  text: string;
  /** The reply this one updates; null: the item had no reply from Earshot when it was written. */
  replaces: string | null;
  status: Generated<ReplyStatus>;
  /** Why it was rejected, failed or stopped, in words for the person. */
  reason: string | null;
  /** The end of the undo window. */
  send_at: Timestamp;
  attempts: Generated<number>;
  claim_token: string | null;
  claimed_at: NullableTimestamp;
  last_error: string | null;
  platform_reply_id: string | null;
  platform_reply_url: string | null;
  published_at: NullableTimestamp;
  author: string;
  author_user_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** A business's named reply text with placeholders ({author}, {business}, {first_name}). */
export interface ReplyTemplatesTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  name: string;
  body: string;
  default_min_rating: number | null;
  default_max_rating: number | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type AlertChannelStatus = 'ok' | 'needs_attention';

/** Where an account's alerts can go besides email addresses: Slack, Teams, a webhook, ntfy, an email list. */
export interface AlertChannelsTable {
  /** Made by the caller: the sealed credentials bind it. */
  id: string;
  account_id: string;
  /** The channel contract's id, e.g. `slack`. */
  type: string;
  name: string;
  /** Only the fields the channel does not mark secret. */
  config: Json<Record<string, unknown>>;
  /** AES-256-GCM envelope of the secret fields; never leaves the server. */
  credentials: string | null;
  status: Generated<AlertChannelStatus>;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  /** The channel's quiet hours, in the time zone of the business an alert is about; null: never quiet. */
  quiet_hours: NullableJson<QuietHoursSetting>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** Quiet hours as stored: local "HH:MM" times (services/alerts/quiet-hours.ts). */
export interface QuietHoursSetting {
  from: string;
  to: string;
}

/** An item a daily or weekly rule put aside for one recipient's digest. */
export interface DigestEntriesTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  item_id: string;
  cadence: 'daily' | 'weekly';
  /** An address, or `channel:<id>` with channel_id set. */
  recipient: string;
  channel_id: string | null;
  /** The digest delivery that carries it; null while it waits for its period to end. */
  digest_delivery_id: string | null;
  created_at: CreatedAt;
}

/** A flagged item escalated once when its SLA passed unanswered. */
export interface SlaEscalationsTable {
  item_id: string;
  account_id: string;
  escalated_at: CreatedAt;
}

/** A business's alert rule; the shape of its JSON is db/alert-rule-shape.ts. */
export interface AlertRulesTable {
  id: Generated<string>;
  account_id: string;
  business_id: string;
  name: string;
  /** The API's `when`. */
  conditions: Json<AlertRuleConditions>;
  /** The API's `to`. */
  target: Json<AlertRuleTarget>;
  delivery: AlertRuleDelivery;
  urgent: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** Signed webhook requests already accepted, kept while their timestamp could still pass. */
export interface WebhookSignaturesSeenTable {
  source_id: string;
  signature: string;
  seen_at: CreatedAt;
}

export type StreamState = 'connected' | 'connecting' | 'down';

/** A platform stream's resume point, leader and state (services/streams/): one row per stream. */
export interface StreamCursorsTable {
  stream: string;
  /** The type of the sources the stream serves. */
  source_type: string;
  /** The lease token of the worker leading it; writes by any other worker change nothing. */
  leader: string | null;
  /** Opaque to the core; moved only after the items before it are committed. */
  cursor: NullableJson<unknown>;
  state: Generated<StreamState>;
  /** The platform's time of the newest event committed. */
  last_event_at: NullableTimestamp;
  last_committed_at: NullableTimestamp;
  connected_at: NullableTimestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  businesses: BusinessesTable;
  sources: SourcesTable;
  source_bad_pages: SourceBadPagesTable;
  skipped_items: SkippedItemsTable;
  items: ItemsTable;
  item_events: ItemEventsTable;
  item_revisions: ItemRevisionsTable;
  re_review_requests: ReReviewRequestsTable;
  alert_deliveries: AlertDeliveriesTable;
  webhook_signatures_seen: WebhookSignaturesSeenTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  sign_in_attempts: SignInAttemptsTable;
  item_replies: ItemRepliesTable;
  reply_templates: ReplyTemplatesTable;
  alert_channels: AlertChannelsTable;
  alert_rules: AlertRulesTable;
  digest_entries: DigestEntriesTable;
  sla_escalations: SlaEscalationsTable;
  stream_cursors: StreamCursorsTable;
}

export type Business = Selectable<BusinessesTable>;
export type Source = Selectable<SourcesTable>;
export type Item = Selectable<ItemsTable>;
export type NewItem = Insertable<ItemsTable>;
export type ItemUpdate = Updateable<ItemsTable>;
export type ItemEvent = Selectable<ItemEventsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
