import type { AlertRuleDefinition } from '../../db/alert-rule-shape.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { findConnector } from '../../connectors/registry.ts';
import { findChannel } from '../../services/alerts/channels/registry.ts';
import { topicWords } from '../../services/analysis/sentiment/topics.ts';
import { weekdayName } from './business-digest-form.ts';

/**
 * A rule in words, so a list of rules reads without opening each:
 * "Every flagged item · at once · to the alert addresses", "1★ only · at once · to #reviews on Slack",
 * "neutral sentiment · daily digest at 08:00 · to manager@shop.test".
 */

/** When a business's digests go out, as its settings say. */
export type DigestTiming = Pick<BusinessRecord, 'digestTime' | 'digestWeekday'>;

/** Who a rule may name, by id: the account's channels and people. */
export interface RuleTargets {
  channels: ReadonlyMap<string, { name: string; type: string }>;
  people: ReadonlyMap<string, { email: string; displayName: string | null }>;
}


function either(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function what(conditions: AlertRuleDefinition['conditions']): string {
  const parts: string[] = [];
  if (conditions.ratingMax !== undefined) parts.push(conditions.ratingMax === 1 ? '1★ only' : `1–${conditions.ratingMax}★`);
  if (conditions.sentiments !== undefined) parts.push(`${either(conditions.sentiments)} sentiment`);
  if (conditions.topics !== undefined) parts.push(`about ${either(conditions.topics.map((topic) => topicWords(topic)))}`);
  if (conditions.sourceTypes !== undefined) parts.push(`from ${either(conditions.sourceTypes.map((type) => findConnector(type)?.displayName ?? type))}`);
  if (conditions.kinds !== undefined) parts.push(either(conditions.kinds.map((kind) => `${kind}s`)));
  if (conditions.keywords !== undefined) parts.push(`mentioning ${either(conditions.keywords.map((word) => `"${word}"`))}`);
  if (parts.length === 0) return conditions.flaggedOnly ? 'Every flagged item' : 'Every item';
  return conditions.flaggedOnly ? `${parts.join(', ')}, if flagged` : parts.join(', ');
}

function to(target: AlertRuleDefinition['target'], targets: RuleTargets): string {
  if ('alertAddresses' in target) return 'to the alert addresses';
  if ('email' in target) return `to ${target.email}`;
  if ('userId' in target) {
    const person = targets.people.get(target.userId);
    return person === undefined ? 'to a person no longer in the account (sends nothing)' : `to ${person.displayName ?? person.email}`;
  }
  const channel = targets.channels.get(target.channelId);
  if (channel === undefined) return 'to a deleted channel (sends nothing)';
  return `to ${channel.name} on ${findChannel(channel.type)?.displayName ?? channel.type}`;
}

/** "at once", "daily digest at 08:00", "weekly digest on Monday at 08:00": at the business's time. */
export function deliveryWords(delivery: AlertRuleDefinition['delivery'], timing: DigestTiming): string {
  switch (delivery) {
    case 'instant':
      return 'at once';
    case 'daily':
      return `daily digest at ${timing.digestTime}`;
    case 'weekly':
      return `weekly digest on ${weekdayName(timing.digestWeekday)} at ${timing.digestTime}`;
  }
}

export function ruleInWords(rule: AlertRuleDefinition, targets: RuleTargets, timing: DigestTiming): string {
  return [what(rule.conditions), deliveryWords(rule.delivery, timing), to(rule.target, targets), ...(rule.urgent ? ['urgent'] : [])].join(' · ');
}
