import type { ReReviewRequestRecord } from '../../../db/repositories/re-reviews.ts';
import type { ReReviewGroup } from '../../../db/repositories/re-review-metrics.ts';
import type { ReReviewChannel, ReReviewStatus } from '../../../db/schema.ts';
import { dateTime, nullableDateTime, nullableString, toIso, uuid } from './common.ts';

export const RE_REVIEW_CHANNELS: readonly ReReviewChannel[] = ['email', 'phone', 'in_person', 'platform_reply', 'other'];
const RE_REVIEW_STATUSES: readonly ReReviewStatus[] = ['pending', 'revised', 'removed', 'expired'];

export interface CreateReReviewBody {
  channel: ReReviewChannel;
  note?: string;
}

export const createReReviewBody = {
  type: 'object',
  required: ['channel'],
  additionalProperties: false,
  properties: {
    channel: { type: 'string', enum: RE_REVIEW_CHANNELS, description: 'How the customer was asked' },
    note: { type: 'string', maxLength: 5000, description: 'What was said; never an incentive (see docs/re-reviews.md)' },
  },
  examples: [{ channel: 'email', note: 'Thanked her for the patience, told her the heater is fixed.' }],
} as const;

const ratingOrNull = { type: ['integer', 'null'], minimum: 1, maximum: 5 } as const;

/** Inline (not a shared `$ref`) so the route file carries everything it answers. */
export const reReviewRequestSchema = {
  type: 'object',
  required: ['id', 'itemId', 'businessId', 'channel', 'note', 'requestedBy', 'requestedAt', 'status', 'ratingBefore', 'ratingAfter', 'closedAt'],
  additionalProperties: false,
  properties: {
    id: uuid,
    itemId: uuid,
    businessId: uuid,
    channel: { type: 'string', enum: RE_REVIEW_CHANNELS },
    note: nullableString,
    requestedBy: { type: 'string', description: 'The name of the API key that recorded the request' },
    requestedAt: dateTime,
    status: {
      type: 'string',
      enum: RE_REVIEW_STATUSES,
      description: 'pending until the review is edited (revised), disappears (removed) or RE_REVIEW_EXPIRE_DAYS pass (expired)',
    },
    ratingBefore: { ...ratingOrNull, description: 'The rating when the customer was asked' },
    ratingAfter: { ...ratingOrNull, description: 'The rating after the edit; null until revised' },
    closedAt: { ...nullableDateTime, description: 'When the outcome happened; null while pending' },
  },
} as const;

export const reReviewRequestList = {
  description: "The item's re-review requests, newest first (at most one is pending)",
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: { requests: { type: 'array', items: reReviewRequestSchema } },
} as const;

export interface ReReviewRequestJson {
  id: string;
  itemId: string;
  businessId: string;
  channel: ReReviewChannel;
  note: string | null;
  requestedBy: string;
  requestedAt: string;
  status: ReReviewStatus;
  ratingBefore: number | null;
  ratingAfter: number | null;
  closedAt: string | null;
}

export function presentReReviewRequest(request: ReReviewRequestRecord): ReReviewRequestJson {
  return {
    id: request.id,
    itemId: request.itemId,
    businessId: request.businessId,
    channel: request.channel,
    note: request.note,
    requestedBy: request.requestedBy,
    requestedAt: toIso(request.requestedAt),
    status: request.status,
    ratingBefore: request.ratingBefore,
    ratingAfter: request.ratingAfter,
    closedAt: toIso(request.closedAt),
  };
}

const nullableNumber = { type: ['number', 'null'] } as const;

export const reReviewGroupSchema = {
  type: 'object',
  required: [
    'key', 'requested', 'revised', 'removed', 'expired', 'pending', 'improved',
    'averageRatingChange', 'medianRatingChange', 'medianDaysToRevision',
  ],
  additionalProperties: false,
  properties: {
    key: { type: 'string', description: 'The business id, the month (`YYYY-MM-01`, UTC) or the channel' },
    requested: { type: 'integer', description: 'Requests made in the period' },
    revised: { type: 'integer', description: 'The review was edited after the request' },
    removed: { type: 'integer', description: 'The review disappeared from the platform' },
    expired: { type: 'integer', description: 'No edit within RE_REVIEW_EXPIRE_DAYS' },
    pending: { type: 'integer', description: 'Still waiting' },
    improved: { type: 'integer', description: 'Revised to a higher rating' },
    averageRatingChange: { ...nullableNumber, description: 'Stars gained on average, over revised reviews with a rating before and after' },
    medianRatingChange: { ...nullableNumber, description: 'Median stars gained, same reviews' },
    medianDaysToRevision: { ...nullableNumber, description: 'Median days from request to edit, over revised requests' },
  },
} as const;

export type ReReviewGroupJson = ReReviewGroup;
