import { RESPONSE_TIME_GROUPINGS } from '../../response-times/response-time-query.ts';
import { apiDate, uuid } from './common.ts';
import { SENTIMENT_LABELS } from './item.ts';

const ITEM_KINDS = ['review', 'mention'] as const;

export const responseTimesQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    businessId: { type: 'array', items: uuid, maxItems: 500, description: 'Repeatable; default: every business the key can see' },
    sourceType: { type: 'string', maxLength: 100, description: 'A connector id, e.g. google_places' },
    kind: { type: 'string', enum: ITEM_KINDS },
    sentiment: { type: 'string', enum: SENTIMENT_LABELS },
    flagged: { type: 'boolean' },
    ratingMax: { type: 'integer', minimum: 1, maximum: 5, description: 'Only rated items at or below this rating' },
    from: { ...apiDate, description: 'Cohort start (inclusive) by published date: a date (UTC midnight) or a date-time with offset' },
    to: { ...apiDate, description: 'Cohort end (exclusive), same forms as from' },
    businessHours: { type: 'boolean', default: false, description: "true: count only each business's opening hours, in its time zone" },
    groupBy: {
      type: 'string',
      enum: RESPONSE_TIME_GROUPINGS,
      default: 'business',
      description: '`business,week` and `business,month`: one group per business and period, keyed `<business id>/<period start>`',
    },
    format: { type: 'string', enum: ['json', 'csv'], description: 'csv: the groups as CSV (also chosen by `Accept: text/csv`)' },
  },
} as const;

const nullableNumber = { type: ['number', 'null'] } as const;

const responseTimeGroup = {
  type: 'object',
  additionalProperties: false,
  required: [
    'key', 'items', 'responded', 'respondedPct', 'medianSeconds', 'p90Seconds', 'meanSeconds',
    'within24hPct', 'within48hPct', 'open', 'overdue', 'resolved', 'medianResolutionSeconds',
  ],
  properties: {
    key: {
      type: ['string', 'null'],
      description:
        'Business id, source type, week or month start (YYYY-MM-DD, UTC), responder, or `<business id>/<period start>` for the two-level groupings; null: unanswered (responder)',
    },
    businessId: { ...uuid, description: 'When grouped by business (alone or with a period)' },
    businessName: { type: 'string', description: 'Its name, as it is now' },
    period: { type: 'string', format: 'date', description: 'Week (Monday) or month start, UTC, when grouped by period' },
    sourceName: { type: 'string', description: 'The platform\'s display name (e.g. "Google Places") when grouped by source' },
    items: { type: 'integer', description: 'Items in the cohort' },
    responded: { type: 'integer', description: 'Items answered (platform reply seen or `respond` in Earshot)' },
    respondedPct: { ...nullableNumber, description: 'responded / items, percent, one decimal' },
    medianSeconds: { ...nullableNumber, description: 'Median response time over answered items' },
    p90Seconds: { ...nullableNumber, description: '90th percentile (linear interpolation) over answered items' },
    meanSeconds: nullableNumber,
    within24hPct: { ...nullableNumber, description: 'Share of all items answered within 24 hours' },
    within48hPct: { ...nullableNumber, description: 'Share of all items answered within 48 hours' },
    open: { type: 'integer', description: 'Items not answered' },
    overdue: { type: 'integer', description: "Open items older than the business's slaHours" },
    resolved: { type: 'integer' },
    medianResolutionSeconds: { ...nullableNumber, description: 'Median time from publication to resolve, over resolved items' },
  },
} as const;

export const responseTimesReplySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['groups', 'unrepliable'],
  properties: {
    groups: { type: 'array', items: responseTimeGroup },
    unrepliable: {
      type: 'object',
      additionalProperties: false,
      required: ['items', 'sourceTypes'],
      description: 'Items from sources that take no reply (news and blog feeds): left out of groups',
      properties: {
        items: { type: 'integer' },
        sourceTypes: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['sourceType', 'items'],
            properties: { sourceType: { type: 'string' }, items: { type: 'integer' } },
          },
        },
      },
    },
  },
  examples: [
    {
      groups: [
        {
          key: '3f0c8f5e-2a4b-4c53-9d7e-1b2f3a4c5d6e', businessId: '3f0c8f5e-2a4b-4c53-9d7e-1b2f3a4c5d6e', businessName: 'Harbour Bistro', items: 120, responded: 96, respondedPct: 80, medianSeconds: 15300,
          p90Seconds: 151200, meanSeconds: 48211, within24hPct: 61.7, within48hPct: 72.5, open: 24, overdue: 9, resolved: 40,
          medianResolutionSeconds: 259200,
        },
      ],
      unrepliable: { items: 4, sourceTypes: [{ sourceType: 'rss', items: 4 }] },
    },
  ],
} as const;
