import {
  ALERT_RULE_DELIVERIES,
  type AlertRuleConditions,
  type AlertRuleDefinition,
  type AlertRuleDelivery,
  type AlertRuleTarget,
} from '../../../db/alert-rule-shape.ts';
import type { ItemKind, SentimentLabel } from '../../../db/schema.ts';
import { connectors } from '../../../connectors/registry.ts';
import { COMPLAINT_TOPICS } from '../../analysis/sentiment/topics.ts';
import { isMailbox } from '../../businesses/business-input.ts';

/**
 * The rules an alert rule follows, for adding and changing one from any edge (the API,
 * the web app). Each refusal names the field as the API spells it. Whether a person or
 * channel it names belongs to the account is checked by rule-changes.ts, which can ask.
 */

/** A rule refused; `field` is the API's name for it (`when.ratingMax`, `to.email`). */
export class InvalidAlertRule extends Error {
  readonly field: string;
  /** What is wrong, to follow the field's name: `must be between 1 and 5`. */
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'InvalidAlertRule';
    this.field = field;
    this.problem = problem;
  }
}

/** What an owner sends for a new rule, before checking. */
export interface AlertRuleInput {
  name?: string;
  when?: AlertRuleConditionsInput;
  to: AlertRuleTargetInput;
  delivery: string;
  urgent?: boolean;
}

/** A change: only the parts given change; `when` given replaces every condition. */
export type AlertRuleChange = Partial<AlertRuleInput>;

export interface AlertRuleConditionsInput {
  ratingMax?: number;
  sentiments?: string[];
  topics?: string[];
  sourceTypes?: string[];
  kinds?: string[];
  keywords?: string[];
  flaggedOnly?: boolean;
}

export interface AlertRuleTargetInput {
  channelId?: string;
  userId?: string;
  email?: string;
  alertAddresses?: boolean;
}

/** The API's bounds, kept for every edge. */
export const ALERT_RULE_LIMITS = { name: 100, keywords: 20, keyword: 100 } as const;

const SENTIMENTS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive', 'unknown'];
const KINDS: readonly ItemKind[] = ['review', 'mention'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new rule's definition, checked; the name defaults to a description of the rule. */
export function newRuleDefinition(input: AlertRuleInput): AlertRuleDefinition {
  const conditions = ruleConditions(input.when ?? {});
  const target = ruleTarget(input.to);
  const delivery = ruleDelivery(input.delivery);
  return { name: ruleName(input.name, { conditions, target, delivery }), conditions, target, delivery, urgent: input.urgent ?? false };
}

/** A rule's definition after a change, checked; what the change leaves out stays as it was. */
export function changedRuleDefinition(current: AlertRuleDefinition, change: AlertRuleChange): AlertRuleDefinition {
  return {
    name: change.name === undefined ? current.name : ruleName(change.name, current),
    conditions: change.when === undefined ? current.conditions : ruleConditions(change.when),
    target: change.to === undefined ? current.target : ruleTarget(change.to),
    delivery: change.delivery === undefined ? current.delivery : ruleDelivery(change.delivery),
    urgent: change.urgent ?? current.urgent,
  };
}

function ruleName(name: string | undefined, rule: Pick<AlertRuleDefinition, 'conditions' | 'target' | 'delivery'>): string {
  if (name === undefined) return describeRule(rule);
  const trimmed = name.trim();
  if (trimmed === '') throw new InvalidAlertRule('name', 'must not be blank');
  if (trimmed.length > ALERT_RULE_LIMITS.name) throw new InvalidAlertRule('name', `must be at most ${ALERT_RULE_LIMITS.name} characters`);
  return trimmed;
}

/** A name for a rule given none, so a list of rules reads without opening each: "1–2★ flagged items, instantly, to owner@shop.test". */
export function describeRule(rule: Pick<AlertRuleDefinition, 'conditions' | 'target' | 'delivery'>): string {
  const { conditions, target, delivery } = rule;
  const what = [
    conditions.ratingMax === undefined ? '' : `1–${conditions.ratingMax}★`,
    conditions.sentiments === undefined ? '' : conditions.sentiments.join('/'),
    conditions.flaggedOnly ? 'flagged items' : 'items',
    conditions.keywords === undefined ? '' : `mentioning ${conditions.keywords.map((word) => `"${word}"`).join(' or ')}`,
  ].filter((part) => part !== '');
  const when = delivery === 'instant' ? 'instantly' : `in the ${delivery} digest`;
  const to =
    'alertAddresses' in target ? 'the alert addresses' : 'email' in target ? target.email : 'userId' in target ? 'a person' : 'a channel';
  return `${what.join(' ')}, ${when}, to ${to}`.slice(0, ALERT_RULE_LIMITS.name);
}

function ruleDelivery(delivery: string): AlertRuleDelivery {
  if (!(ALERT_RULE_DELIVERIES as readonly string[]).includes(delivery)) {
    throw new InvalidAlertRule('delivery', `must be one of ${ALERT_RULE_DELIVERIES.join(', ')}`);
  }
  return delivery as AlertRuleDelivery;
}

/** Exactly one of the four ways to say who is told. */
function ruleTarget(to: AlertRuleTargetInput): AlertRuleTarget {
  const given = Object.entries(to).filter(([, value]) => value !== undefined);
  if (given.length !== 1) throw new InvalidAlertRule('to', 'must name exactly one of channelId, userId, email, alertAddresses');
  const [key, value] = given[0] as [string, unknown];
  switch (key) {
    case 'alertAddresses':
      if (value !== true) throw new InvalidAlertRule('to.alertAddresses', 'must be true');
      return { alertAddresses: true };
    case 'email': {
      const email = String(value).trim();
      if (!isMailbox(email)) throw new InvalidAlertRule('to.email', `"${email}" is not an email address`);
      return { email };
    }
    case 'userId':
    case 'channelId':
      if (typeof value !== 'string' || !UUID.test(value)) throw new InvalidAlertRule(`to.${key}`, 'must be a UUID');
      return key === 'userId' ? { userId: value.toLowerCase() } : { channelId: value.toLowerCase() };
    default:
      throw new InvalidAlertRule(`to.${key}`, 'is not a way to send alerts; use channelId, userId, email or alertAddresses');
  }
}

function ruleConditions(when: AlertRuleConditionsInput): AlertRuleConditions {
  const conditions: AlertRuleConditions = { flaggedOnly: when.flaggedOnly ?? true };
  if (when.ratingMax !== undefined) {
    if (!Number.isInteger(when.ratingMax) || when.ratingMax < 1 || when.ratingMax > 5) throw new InvalidAlertRule('when.ratingMax', 'must be a whole number of stars from 1 to 5');
    conditions.ratingMax = when.ratingMax;
  }
  if (when.sentiments !== undefined) conditions.sentiments = oneOf('when.sentiments', when.sentiments, SENTIMENTS);
  if (when.topics !== undefined) conditions.topics = oneOf('when.topics', when.topics, COMPLAINT_TOPICS);
  if (when.sourceTypes !== undefined) conditions.sourceTypes = oneOf('when.sourceTypes', when.sourceTypes, Object.keys(connectors));
  if (when.kinds !== undefined) conditions.kinds = oneOf('when.kinds', when.kinds, KINDS);
  if (when.keywords !== undefined) conditions.keywords = keywords(when.keywords);
  return conditions;
}

/** A non-empty list of known values, each once. */
function oneOf<T extends string>(field: string, values: readonly string[], known: readonly T[]): T[] {
  if (values.length === 0) throw new InvalidAlertRule(field, 'must list at least one value; leave it out to match any');
  for (const [index, value] of values.entries()) {
    if (!(known as readonly string[]).includes(value)) throw new InvalidAlertRule(`${field}[${index}]`, `"${value}" is not one of ${known.join(', ')}`);
  }
  return [...new Set(values)] as T[];
}

/** Words or phrases, trimmed, each once whatever its case. */
function keywords(values: readonly string[]): string[] {
  if (values.length === 0) throw new InvalidAlertRule('when.keywords', 'must list at least one word; leave it out to match any');
  if (values.length > ALERT_RULE_LIMITS.keywords) throw new InvalidAlertRule('when.keywords', `must list at most ${ALERT_RULE_LIMITS.keywords} words`);
  const seen = new Map<string, string>();
  for (const [index, value] of values.entries()) {
    const word = value.trim().replace(/\s+/g, ' ');
    if (word === '') throw new InvalidAlertRule(`when.keywords[${index}]`, 'must not be blank');
    if (word.length > ALERT_RULE_LIMITS.keyword) throw new InvalidAlertRule(`when.keywords[${index}]`, `must be at most ${ALERT_RULE_LIMITS.keyword} characters`);
    if (!seen.has(word.toLowerCase())) seen.set(word.toLowerCase(), word);
  }
  return [...seen.values()];
}
