import type { RuleWithRecipient } from '../../../db/repositories/alert-rules.ts';
import { matches, type RuleItem } from './rule-matching.ts';

/** Where one delivery goes: an email address, or an alert channel. */
export type Recipient = { email: string } | { channelId: string };

/** An item as routing needs it: what rules ask of it, and its business's alert addresses. */
export interface RoutedItem extends RuleItem {
  businessId: string;
  alertEmails: readonly string[];
}

/**
 * Everyone the item's matching rules name, each once: two rules to the same address,
 * or an address that is also an alert address, make one delivery. Addresses are
 * lower-cased (`Owner@Shop.test` and `owner@shop.test` are one inbox). A person
 * removed, or no longer allowed to see the business, and a channel deleted are not told.
 */
export function recipientsFor(item: RoutedItem, rules: readonly RuleWithRecipient[]): Recipient[] {
  const emails = new Set<string>();
  const channels = new Set<string>();
  for (const rule of rules) {
    if (rule.businessId !== item.businessId || !matches(rule.conditions, item)) continue;
    const { target } = rule;
    if ('alertAddresses' in target) for (const address of item.alertEmails) emails.add(address.toLowerCase());
    else if ('email' in target) emails.add(target.email.toLowerCase());
    else if ('userId' in target) {
      if (rule.person !== null && (rule.person.businessIds === null || rule.person.businessIds.includes(item.businessId))) emails.add(rule.person.email.toLowerCase());
    } else if (rule.channelExists) channels.add(target.channelId);
  }
  return [...[...emails].map((email) => ({ email })), ...[...channels].map((channelId) => ({ channelId }))];
}
