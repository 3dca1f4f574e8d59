import { ALERT_RULE_DELIVERIES } from '../../../db/alert-rule-shape.ts';
import type { AlertRuleRecord } from '../../../db/repositories/alert-rules.ts';
import { connectors } from '../../../connectors/registry.ts';
import { COMPLAINT_TOPICS } from '../../analysis/sentiment/topics.ts';
import { ALERT_RULE_LIMITS } from '../../alerts/rules/rule-input.ts';
import { dateTime, toIso, uuid } from './common.ts';

const list = (items: object, description: string) => ({ type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items, description }) as const;

const when = {
  type: 'object',
  additionalProperties: false,
  description: 'Which items: every condition given must hold; a list holds when any of its values does. Left out, a condition matches every item.',
  properties: {
    ratingMax: { type: 'integer', minimum: 1, maximum: 5, description: 'Stars at most this; an unrated item never matches' },
    sentiments: list({ type: 'string', enum: ['negative', 'neutral', 'positive', 'unknown'] }, '`unknown`: the analyzer could not judge the item (e.g. a language it does not read)'),
    topics: list({ type: 'string', enum: COMPLAINT_TOPICS }, 'Complaint topics'),
    sourceTypes: list({ type: 'string', enum: Object.keys(connectors) }, 'Source types, as GET /v1/source-types lists them'),
    kinds: list({ type: 'string', enum: ['review', 'mention'] }, 'Reviews, mentions'),
    keywords: {
      type: 'array',
      minItems: 1,
      maxItems: ALERT_RULE_LIMITS.keywords,
      items: { type: 'string', minLength: 1, maxLength: ALERT_RULE_LIMITS.keyword },
      description: 'Any of these whole words or phrases in the title or text, whatever their case',
    },
    flaggedOnly: { type: 'boolean', description: 'Only items the analyzer flagged; default true' },
  },
} as const;

const to = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  description: "Exactly one: a channel of the account, a person of the account (their email), an email address, or the business's alert addresses",
  properties: {
    channelId: { type: 'string', description: 'A channel (GET /v1/channels)' },
    userId: { type: 'string', description: 'A person of the account who can see the business' },
    email: { type: 'string', maxLength: 254 },
    alertAddresses: { type: 'boolean', enum: [true] },
  },
} as const;

const delivery = { type: 'string', enum: ALERT_RULE_DELIVERIES, description: '`instant`: as soon as the item is judged; `daily` / `weekly`: in that digest' } as const;
const name = { type: 'string', minLength: 1, maxLength: ALERT_RULE_LIMITS.name } as const;
const urgent = { type: 'boolean', description: 'Let through quiet hours, like a 1★ item' } as const;

export const createAlertRuleBody = {
  type: 'object',
  required: ['to', 'delivery'],
  additionalProperties: false,
  properties: { name: { ...name, description: 'Left out: a description of the rule' }, when, to, delivery, urgent },
  examples: [{ name: '1–2★ to the manager', when: { ratingMax: 2 }, to: { email: 'manager@example.com' }, delivery: 'instant' }],
} as const;

export const updateAlertRuleBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name, when: { ...when, description: 'Replaces every condition' }, to, delivery, urgent },
} as const;

export const alertRuleSchema = {
  type: 'object',
  required: ['id', 'businessId', 'name', 'when', 'to', 'delivery', 'urgent', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  properties: { id: uuid, businessId: uuid, name: { type: 'string' }, when, to, delivery, urgent: { type: 'boolean' }, createdAt: dateTime, updatedAt: dateTime },
} as const;

export const alertRuleList = {
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: { rules: { type: 'array', items: alertRuleSchema } },
} as const;

export interface AlertRuleJson {
  id: string;
  businessId: string;
  name: string;
  when: AlertRuleRecord['conditions'];
  to: AlertRuleRecord['target'];
  delivery: AlertRuleRecord['delivery'];
  urgent: boolean;
  createdAt: string;
  updatedAt: string;
}

export function presentAlertRule(rule: AlertRuleRecord): AlertRuleJson {
  return {
    id: rule.id,
    businessId: rule.businessId,
    name: rule.name,
    when: rule.conditions,
    to: rule.target,
    delivery: rule.delivery,
    urgent: rule.urgent,
    createdAt: toIso(rule.createdAt),
    updatedAt: toIso(rule.updatedAt),
  };
}
