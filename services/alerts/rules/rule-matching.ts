import type { AlertRuleConditions } from '../../../db/alert-rule-shape.ts';
import type { ItemKind, SentimentLabel } from '../../../db/schema.ts';

/** What a rule can ask of an item. */
export interface RuleItem {
  kind: ItemKind;
  rating: number | null;
  /** null: not judged (yet); counts as `unknown`. */
  sentimentLabel: SentimentLabel | null;
  topics: readonly string[];
  sourceType: string;
  title: string | null;
  body: string;
  flagged: boolean;
}

/**
 * Whether the item meets every condition the rule gives. A list condition holds when
 * any of its values does; a condition left out holds for every item. An unrated item
 * never meets `ratingMax`: "at most 2★" says nothing about a mention without stars.
 */
export function matches(conditions: AlertRuleConditions, item: RuleItem): boolean {
  if (conditions.flaggedOnly && !item.flagged) return false;
  if (conditions.ratingMax !== undefined && (item.rating === null || item.rating > conditions.ratingMax)) return false;
  if (conditions.sentiments !== undefined && !conditions.sentiments.includes(item.sentimentLabel ?? 'unknown')) return false;
  if (conditions.topics !== undefined && !conditions.topics.some((topic) => item.topics.includes(topic))) return false;
  if (conditions.sourceTypes !== undefined && !conditions.sourceTypes.includes(item.sourceType)) return false;
  if (conditions.kinds !== undefined && !conditions.kinds.includes(item.kind)) return false;
  if (conditions.keywords !== undefined && !mentionsAny(`${item.title ?? ''}\n${item.body}`, conditions.keywords)) return false;
  return true;
}

/**
 * Whether the text holds any of the words or phrases as whole words, whatever their
 * case: "wait" finds "Wait!" but not "waiter"; "cold soup" finds "COLD  soup".
 * Letters and digits of any script count as word characters, so "café" is one word.
 */
export function mentionsAny(text: string, keywords: readonly string[]): boolean {
  return keywords.some((keyword) => wholeWord(keyword).test(text));
}

function wholeWord(keyword: string): RegExp {
  const words = keyword.trim().split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
}
