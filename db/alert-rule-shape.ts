import type { ItemKind, SentimentLabel } from './schema.ts';

/**
 * An alert rule as stored in `alert_rules`: which items (`conditions`), told to whom
 * (`target`), and how (`delivery`). The shape only: checking a rule and matching an item
 * against it live in services/alerts/rules/.
 */

/** `instant`: as soon as the item is judged; `daily` / `weekly`: in that digest. */
export type AlertRuleDelivery = 'instant' | 'daily' | 'weekly';
export const ALERT_RULE_DELIVERIES: readonly AlertRuleDelivery[] = ['instant', 'daily', 'weekly'];

/** Every condition given must hold; a list condition holds when any of its values does. */
export interface AlertRuleConditions {
  /** The item's stars are at most this (an unrated item never matches). */
  ratingMax?: number;
  /** `unknown`: the analyzer could not judge the item (a language it does not read). */
  sentiments?: SentimentLabel[];
  /** Complaint topics (services/analysis/sentiment/topics.ts). */
  topics?: string[];
  /** Connector types (connectors/registry.ts), e.g. `google_places`. */
  sourceTypes?: string[];
  kinds?: ItemKind[];
  /** Whole words or phrases in the title or text, whatever their case. */
  keywords?: string[];
  /** Only items the analyzer flagged; true unless a rule says otherwise. */
  flaggedOnly: boolean;
}

/** Who is told: an account's channel, a person's email, any address, or the business's alert addresses. */
export type AlertRuleTarget = { channelId: string } | { userId: string } | { email: string } | { alertAddresses: true };

export interface AlertRuleDefinition {
  name: string;
  conditions: AlertRuleConditions;
  target: AlertRuleTarget;
  delivery: AlertRuleDelivery;
  /** Let through quiet hours, like a 1★ item. */
  urgent: boolean;
}

/**
 * What every business starts with: Earshot's behaviour before rules existed (every
 * flagged item, at once, to each alert address), so nothing changes for anyone who does
 * nothing. The migration that introduced rules wrote the same rule in SQL.
 * Rules are listed oldest first, and this one is written first.
 */
export const DEFAULT_ALERT_RULE: AlertRuleDefinition = Object.freeze({
  name: 'Flagged items to the alert addresses',
  conditions: Object.freeze({ flaggedOnly: true }),
  target: Object.freeze({ alertAddresses: true as const }),
  delivery: 'instant',
  urgent: false,
});

/**
 * The second rule every business starts with: nothing the analyzer cannot judge (a language
 * it does not read) is dropped silently; it waits in the daily digest as "could not be
 * judged — please look". The migration 2026-12-08T1000_alert_timing wrote the same rule in SQL.
 */
export const UNJUDGED_DIGEST_RULE: AlertRuleDefinition = Object.freeze({
  name: 'Items Earshot could not judge, in the daily digest',
  conditions: Object.freeze({ sentiments: ['unknown' as const], flaggedOnly: false }),
  target: Object.freeze({ alertAddresses: true as const }),
  delivery: 'daily',
  urgent: false,
});
