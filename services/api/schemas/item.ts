import type { ItemDetailRecord, ItemEventRecord, ItemRecord } from '../../../db/repositories/item-queries.ts';
import type { ItemKind, ItemStatus, SentimentLabel } from '../../../db/schema.ts';
import { COMPLAINT_TOPICS } from '../../analysis/sentiment/topics.ts';
import { dateTime, nullableDateTime, nullableString, toIso, uuid } from './common.ts';

export const ITEM_STATUSES: readonly ItemStatus[] = ['new', 'responded', 'resolved'];
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive', 'unknown'];
export const ITEM_KINDS: readonly ItemKind[] = ['review', 'mention'];

export const itemEventSchema = {
  $id: 'ItemEvent',
  type: 'object',
  required: ['type', 'actor', 'at', 'data'],
  additionalProperties: false,
  properties: {
    type: {
      type: 'string',
      description:
        'detected, flagged, alert_waiting (`data.to`, `data.reason`: the first failure to send an alert, e.g. SMTP down; once per alert, not per retry), alerted (`data.to`), platform_reply_seen, responded, replied (a reply published from Earshot, under its author: `data.replyId`, `data.text`, `data.state`: published | pending_moderation), note, assigned, unassigned, resolved, reopened (`data.reason`), re_review_requested, revised (`data.ratingBefore`, `data.ratingAfter`), re_review_outcome (`data.outcome`: revised | removed | expired)',
    },
    actor: { type: 'string', description: 'The API key name for staff actions, or the part of Earshot that acted' },
    at: dateTime,
    data: { type: 'object', additionalProperties: true, description: 'Per type; staff actions carry their `note`' },
  },
} as const;

const itemProperties = {
  id: uuid,
  sourceId: uuid,
  businessId: uuid,
  kind: { type: 'string', enum: ITEM_KINDS },
  externalId: { type: 'string', description: "The platform's own id" },
  url: nullableString,
  author: nullableString,
  rating: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
  title: nullableString,
  body: { type: 'string' },
  language: nullableString,
  publishedAt: { ...nullableDateTime, description: 'As the platform dates it; null when it gives no date' },
  firstSeenAt: dateTime,
  sentiment: {
    type: ['object', 'null'],
    required: ['score', 'label'],
    additionalProperties: false,
    description: 'null until the item has been analysed',
    properties: { score: { type: 'number' }, label: { type: 'string', enum: SENTIMENT_LABELS } },
  },
  topics: {
    type: 'array',
    items: { type: 'string', enum: COMPLAINT_TOPICS },
    description: 'What a negative item complains about (wait, service, staff_attitude, quality, price, cleanliness, booking_delivery, other); empty for the others',
  },
  flagged: { type: 'boolean', description: 'Judged bad enough to alert the owner' },
  status: { type: 'string', enum: ITEM_STATUSES },
  respondedAt: { ...nullableDateTime, description: 'First `respond` action in Earshot' },
  resolvedAt: nullableDateTime,
  firstResponseAt: {
    ...nullableDateTime,
    description: 'Earliest answer: an owner reply seen on the platform, the first `respond` in Earshot, or a reply published from Earshot (when the platform accepted it)',
  },
  firstResponseSource: {
    type: ['string', 'null'],
    enum: ['platform', 'earshot', 'reply', null],
    description: 'platform: a reply seen on the platform; earshot: a `respond`; reply: a reply published from Earshot',
  },
  ownerReply: {
    type: ['object', 'null'],
    required: ['text', 'at'],
    additionalProperties: false,
    description: "The owner's public reply as seen on the platform",
    properties: { text: { type: 'string' }, at: nullableDateTime },
  },
  assignee: {
    type: ['object', 'null'],
    required: ['name', 'keyId'],
    additionalProperties: false,
    description: 'Who works the item: a person, or one of the account\'s API keys (then `keyId` is set)',
    properties: { name: { type: 'string' }, keyId: { type: ['string', 'null'], format: 'uuid' } },
  },
} as const;

export const itemSchema = {
  $id: 'Item',
  type: 'object',
  required: Object.keys(itemProperties),
  additionalProperties: false,
  properties: itemProperties,
} as const;

export const itemDetailSchema = {
  $id: 'ItemDetail',
  type: 'object',
  required: [...Object.keys(itemProperties), 'events'],
  additionalProperties: false,
  properties: {
    ...itemProperties,
    events: { type: 'array', items: { $ref: 'ItemEvent#' }, description: 'The timeline, oldest first' },
  },
} as const;

export interface ItemEventJson {
  type: string;
  actor: string;
  at: string;
  data: Record<string, unknown>;
}

export interface ItemJson {
  id: string;
  sourceId: string;
  businessId: string;
  kind: ItemKind;
  externalId: string;
  url: string | null;
  author: string | null;
  rating: number | null;
  title: string | null;
  body: string;
  language: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
  sentiment: { score: number; label: SentimentLabel } | null;
  topics: string[];
  flagged: boolean;
  status: ItemStatus;
  respondedAt: string | null;
  resolvedAt: string | null;
  firstResponseAt: string | null;
  firstResponseSource: 'platform' | 'earshot' | 'reply' | null;
  ownerReply: { text: string; at: string | null } | null;
  assignee: { name: string; keyId: string | null } | null;
}

export interface ItemDetailJson extends ItemJson {
  events: ItemEventJson[];
}

export function presentItem(item: ItemRecord): ItemJson {
  return {
    id: item.id,
    sourceId: item.sourceId,
    businessId: item.businessId,
    kind: item.kind,
    externalId: item.externalId,
    url: item.url,
    author: item.author,
    rating: item.rating,
    title: item.title,
    body: item.body,
    language: item.language,
    publishedAt: toIso(item.publishedAt),
    firstSeenAt: toIso(item.firstSeenAt),
    sentiment: item.sentiment,
    topics: item.topics,
    flagged: item.flagged,
    status: item.status,
    respondedAt: toIso(item.respondedAt),
    resolvedAt: toIso(item.resolvedAt),
    firstResponseAt: toIso(item.firstResponseAt),
    firstResponseSource: item.firstResponseSource,
    ownerReply: item.ownerReply && { text: item.ownerReply.text, at: toIso(item.ownerReply.at) },
    assignee: item.assignee,
  };
}

/**
 * The list's answer, `{ items: ItemJson[], nextCursor }`, from items already written as
 * Item JSON (db/repositories/item-json.ts): joined, never parsed and serialised again.
 */
export function itemListJson(itemsJson: readonly string[], nextCursor: string | null): string {
  return `{"items":[${itemsJson.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

function presentEvent(event: ItemEventRecord): ItemEventJson {
  return { type: event.type, actor: event.actor, at: toIso(event.at), data: event.data };
}

export function presentItemDetail(item: ItemDetailRecord): ItemDetailJson {
  return { ...presentItem(item), events: item.events.map(presentEvent) };
}
