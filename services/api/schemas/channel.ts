import type { AlertChannelHealth } from '../../../db/repositories/alert-channels.ts';
import type { AlertChannelStatus } from '../../../db/schema.ts';
import type { ChannelView } from '../../alerts/channel-changes.ts';
import { CHANNEL_NAME_MAX } from '../../alerts/channel-changes.ts';
import type { MaskedSecret } from '../../alerts/channel-settings.ts';
import { channels } from '../../alerts/channels/registry.ts';
import type { QuietHours } from '../../alerts/quiet-hours.ts';
import { dateTime, nullableDateTime, toIso, uuid } from './common.ts';

const CHANNEL_STATUSES: readonly AlertChannelStatus[] = ['ok', 'needs_attention'];
const CHANNEL_TYPES = Object.keys(channels);

const channelType = {
  type: 'string',
  enum: CHANNEL_TYPES,
  description: 'slack: config {webhookUrl}; teams: config {webhookUrl}; webhook: config {url}, credentials {secret}; ntfy: config {topicUrl}; email: config {to: [addresses]}',
} as const;
const channelName = { type: 'string', minLength: 1, maxLength: CHANNEL_NAME_MAX, description: 'Unique in the account, whatever its case' } as const;
const channelConfig = { type: 'object', maxProperties: 20, description: "Per channel type; see `type`. A Slack, Teams or ntfy URL is a secret: it is stored encrypted and never returned whole" } as const;
const quietHours = {
  type: ['object', 'null'],
  required: ['from', 'to'],
  additionalProperties: false,
  description:
    'Instant alerts through the channel wait while these last, unless the item is urgent (1★, or matched by a rule marked urgent); local times "HH:MM" in the time zone of the business the alert is about. A `to` at or before `from` ends the next day (22:00 to 07:00). null: never quiet.',
  properties: {
    from: { type: 'string', maxLength: 20, description: 'Quiet from, e.g. "22:00"' },
    to: { type: 'string', maxLength: 20, description: 'Quiet until, e.g. "07:00"' },
  },
} as const;

const channelCredentials = {
  type: 'object',
  maxProperties: 20,
  additionalProperties: { type: 'string', maxLength: 10_000 },
  description: 'Secrets such as the webhook signing secret; stored encrypted and never returned',
} as const;

export const createChannelBody = {
  type: 'object',
  required: ['type', 'name', 'config'],
  additionalProperties: false,
  properties: { type: channelType, name: channelName, config: channelConfig, credentials: channelCredentials, quietHours },
} as const;

export const updateChannelBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: channelName,
    config: { ...channelConfig, description: 'Replaces the config; secret fields left out (a Slack webhookUrl, say) keep their stored value' },
    credentials: { ...channelCredentials, description: 'Replaces all credentials; left out, the stored ones are kept' },
    quietHours: { ...quietHours, description: `${quietHours.description} Left out, they are kept.` },
  },
} as const;

const maskedSecret = {
  type: 'object',
  required: ['set', 'hint'],
  additionalProperties: false,
  description: 'A write-only value: it is set; for a URL, a hint to recognise it by (origin and last four characters), never the value',
  properties: {
    set: { type: 'boolean', enum: [true] },
    hint: { type: ['string', 'null'], description: 'e.g. https://hooks.slack.com/…/Xy12; null when none is safe to show' },
  },
} as const;

const channelHealth = {
  type: 'object',
  required: ['status', 'lastError', 'lastSuccessAt'],
  additionalProperties: false,
  properties: {
    status: {
      type: 'string',
      enum: CHANNEL_STATUSES,
      description: 'needs_attention: the receiver refused the channel as set up (a revoked webhook, say); change its settings, then send a test',
    },
    lastError: {
      type: ['object', 'null'],
      required: ['message', 'at'],
      additionalProperties: false,
      properties: { message: { type: 'string' }, at: nullableDateTime },
    },
    lastSuccessAt: nullableDateTime,
  },
} as const;

export const channelSchema = {
  type: 'object',
  required: ['id', 'type', 'name', 'config', 'credentials', 'health', 'quietHours', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  description: 'Where alerts can be sent. Secret settings are write-only: they appear only masked.',
  properties: {
    id: uuid,
    type: { type: 'string', description: 'slack, teams, webhook, ntfy or email' },
    name: { type: 'string' },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'The settings as stored; each secret field (a Slack webhookUrl, say) is shown as {set: true, hint}',
    },
    credentials: { type: 'object', additionalProperties: maskedSecret, description: 'Each credential set, masked' },
    health: channelHealth,
    quietHours,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const channelList = {
  description: 'By name',
  type: 'object',
  required: ['channels'],
  additionalProperties: false,
  properties: { channels: { type: 'array', items: channelSchema } },
} as const;

export const testSent = {
  description: 'The channel accepted the test message',
  type: 'object',
  required: ['sent', 'receipt', 'health'],
  additionalProperties: false,
  properties: {
    sent: { type: 'boolean', enum: [true] },
    receipt: { type: 'string', description: 'What the receiver answered, e.g. "HTTP 200"' },
    health: channelHealth,
  },
} as const;

export interface ChannelHealthJson {
  status: AlertChannelStatus;
  lastError: { message: string; at: string | null } | null;
  lastSuccessAt: string | null;
}

export interface ChannelJson {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  credentials: Record<string, MaskedSecret>;
  health: ChannelHealthJson;
  quietHours: QuietHours | null;
  createdAt: string;
  updatedAt: string;
}

export function presentChannelHealth(health: AlertChannelHealth): ChannelHealthJson {
  return {
    status: health.status,
    lastError: health.lastError && { message: health.lastError.message, at: toIso(health.lastError.at) },
    lastSuccessAt: toIso(health.lastSuccessAt),
  };
}

export function presentChannel({ channel, secrets }: ChannelView): ChannelJson {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    config: { ...channel.config, ...secrets.config },
    credentials: secrets.credentials,
    health: presentChannelHealth(channel.health),
    quietHours: channel.quietHours,
    createdAt: toIso(channel.createdAt),
    updatedAt: toIso(channel.updatedAt),
  };
}
