import type { RuleWithRecipient } from '../../../db/repositories/alert-rules.ts';
import { matches, type RuleItem } from './rule-matching.ts';

/** Where one delivery goes: an email address, or an alert channel. */
export type Recipient = { email: string } | { channelId: string };

/** A recipient of an item, and whether any rule that named it for the item is marked urgent (it passes quiet hours). */
export type RoutedRecipient = Recipient & { urgent: boolean };

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
 * A recipient is urgent when any of the rules naming it is: the one delivery they get
 * must not wait for quiet hours because a second, ordinary rule also named them.
 */
export function recipientsFor(item: RoutedItem, rules: readonly RuleWithRecipient[]): RoutedRecipient[] {
  // Recipient → urgent, in the order first named.
  const emails = new Map<string, boolean>();
  const channels = new Map<string, boolean>();
  const name = (to: Map<string, boolean>, key: string, urgent: boolean) => to.set(key, (to.get(key) ?? false) || urgent);
  for (const rule of rules) {
    if (rule.businessId !== item.businessId || !matches(rule.conditions, item)) continue;
    const { target, urgent } = rule;
    if ('alertAddresses' in target) for (const address of item.alertEmails) name(emails, address.toLowerCase(), urgent);
    else if ('email' in target) name(emails, target.email.toLowerCase(), urgent);
    else if ('userId' in target) {
      if (rule.person !== null && (rule.person.businessIds === null || rule.person.businessIds.includes(item.businessId))) name(emails, rule.person.email.toLowerCase(), urgent);
    } else if (rule.channelExists) name(channels, target.channelId, urgent);
  }
  return [...[...emails].map(([email, urgent]) => ({ email, urgent })), ...[...channels].map(([channelId, urgent]) => ({ channelId, urgent }))];
}
