import type { ReplyRecord } from '../../../db/repositories/item-replies.ts';
import type { ReplyStatus } from '../../../db/schema.ts';
import { dateTime, nullableDateTime, nullableString, toIso, uuid } from './common.ts';

export const REPLY_STATUSES: readonly ReplyStatus[] = ['scheduled', 'sending', 'published', 'pending_moderation', 'rejected', 'failed', 'stopped', 'cancelled'];

export const replySchema = {
  type: 'object',
  required: ['id', 'itemId', 'status', 'text', 'replaces', 'reason', 'sendAt', 'publishedAt', 'platformReplyUrl', 'author', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: uuid,
    itemId: uuid,
    status: {
      type: 'string',
      enum: REPLY_STATUSES,
      description:
        'scheduled (undo window) → sending → published | pending_moderation | rejected (`reason`: the platform\'s) | failed (`reason`: what to do next); stopped (`reason`: the platform already showed another owner reply); cancelled',
    },
    text: { type: 'string' },
    replaces: { type: ['string', 'null'], format: 'uuid', description: 'The reply this one changes; null for a first reply' },
    reason: { ...nullableString, description: 'Why it was rejected, failed or stopped, in words for the person' },
    sendAt: { ...dateTime, description: 'The end of the undo window: until then `DELETE` takes it back' },
    publishedAt: { ...nullableDateTime, description: 'When the platform accepted it' },
    platformReplyUrl: { ...nullableString, description: 'Where to see it on the platform, when the platform says' },
    author: { type: 'string', description: 'Who wrote it, as the timeline names them' },
    createdAt: dateTime,
  },
} as const;

export interface ReplyJson {
  id: string;
  itemId: string;
  status: ReplyStatus;
  text: string;
  replaces: string | null;
  reason: string | null;
  sendAt: string;
  publishedAt: string | null;
  platformReplyUrl: string | null;
  author: string;
  createdAt: string;
}

export function presentReply(reply: ReplyRecord): ReplyJson {
  return {
    id: reply.id,
    itemId: reply.itemId,
    status: reply.status,
    text: reply.text,
    replaces: reply.replaces,
    reason: reply.reason,
    sendAt: toIso(reply.sendAt),
    publishedAt: toIso(reply.publishedAt),
    platformReplyUrl: reply.platformReplyUrl,
    author: reply.author,
    createdAt: toIso(reply.createdAt),
  };
}
