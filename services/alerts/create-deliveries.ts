import type { Db } from '../../db/database.ts';
import { insertDeliveries, type AlertAudience, type NewDelivery } from '../../db/repositories/alert-deliveries.ts';
import { listItemsToRoute, listRulesWithRecipients, type ItemToRoute } from '../../db/repositories/alert-rules.ts';
import { insertDigestEntries, type NewDigestEntry } from '../../db/repositories/digest-entries.ts';
import type { AlertRuleDelivery } from '../../db/alert-rule-shape.ts';
import { quietHoursHolds } from './quiet-hours-hold.ts';
import { addressOf, noticeDeliveries, recipientsOf, sourceNoticeAudience } from './notice-audience.ts';
import { recipientsFor } from './rules/rule-recipients.ts';

export type SourceNoticeKind = 'source_needs_attention' | 'source_quiet';

/** The kinds of email a one-time sign-in link goes out as: the link's purpose. */
export type SignInLinkKind = 'invitation' | 'password_reset';

/** What someone must be told about. */
export type AlertOccasion =
  /**
   * Items newly judged inside the alert window: `itemIds` the ones flagged, `notFlaggedItemIds`
   * the others (rules with `flaggedOnly: false` take those, e.g. items that could not be judged).
   * `now`: the moment they were judged, which quiet hours are read at (the clock when absent).
   */
  | { kind: 'negative_item'; itemIds: string[]; notFlaggedItemIds?: string[]; now?: Date }
  /** One incident of a source: it entered needs_attention at a given moment, it went quiet since a given day. */
  | { kind: SourceNoticeKind; sourceId: string; incident: string }
  /** A one-time link for the one address it was made for (none: the first owner's, shown on the console only). */
  | { kind: SignInLinkKind; accountId: string; signInLinkId: string; email: string };

/**
 * The outbox: who is told about what, written as pending deliveries that the alert job
 * claims, sends and marks. An item goes where its business's `instant` alert rules that
 * it matches say (services/alerts/rules/), once per address or channel however many
 * rules name it; a notice about a source goes to the business's notice recipients (its alert
 * addresses, once per address whatever its case, and the channels its instant rules name:
 * services/alerts/notice-audience.ts); a sign-in link to the one address it was made for.
 * Returns the ids of the deliveries created: asking again about the same items, the
 * same incident or the same link creates nothing.
 *
 * Called inside the transaction that decided the alert (an item judged is an item whose
 * alert is on record); given no transaction, it opens its own.
 */
export async function createDeliveries(db: Db, occasion: AlertOccasion): Promise<string[]> {
  if (!db.isTransaction) return db.transaction().execute((tx) => createDeliveries(tx, occasion));
  if (occasion.kind === 'negative_item') return routeItems(db, occasion.itemIds, occasion.notFlaggedItemIds ?? [], occasion.now ?? new Date());
  if ('sourceId' in occasion) return noticeAboutSource(db, occasion);
  const audiences = audiencesOf(occasion);
  const deliveries = audiences.flatMap((audience) =>
    recipientsOf(audience.alertEmails).map((recipient) => ({
      accountId: audience.accountId,
      itemId: audience.itemId,
      sourceId: audience.sourceId,
      signInLinkId: audience.signInLinkId,
      recipient,
      kind: occasion.kind,
      incident: '',
    })),
  );
  return insertDeliveries(db, deliveries);
}


/**
 * A notice about a source goes to its business's notice recipients (services/alerts/notice-audience.ts):
 * the alert addresses by email, and the channels its instant rules name as channel deliveries.
 */
async function noticeAboutSource(tx: Db, occasion: { kind: SourceNoticeKind; sourceId: string; incident: string }): Promise<string[]> {
  const audience = await sourceNoticeAudience(tx, occasion.sourceId);
  if (audience === undefined) return [];
  return insertDeliveries(tx, noticeDeliveries(audience, { sourceId: occasion.sourceId }, occasion.kind, occasion.incident));
}

/**
 * Routes newly judged items by their business's rules: one delivery per item and recipient
 * its matching `instant` rules name, and one digest entry per item, recipient and cadence
 * its matching `daily` and `weekly` rules name (services/scheduler/ gathers those into
 * digests when their period ends). Rules are read now, so a rule change applies to items
 * judged after it. An instant delivery to someone in their quiet hours is held until they
 * end (services/alerts/quiet-hours-hold.ts). Returns the deliveries created.
 */
async function routeItems(tx: Db, flaggedIds: string[], notFlaggedIds: string[], now: Date): Promise<string[]> {
  const flagged = new Set(flaggedIds);
  const items = await listItemsToRoute(tx, [...flaggedIds, ...notFlaggedIds]);
  const businessIds = [...new Set(items.map((item) => item.businessId))];
  const rules = await listRulesWithRecipients(tx, businessIds);
  const recipientsBy = (delivery: AlertRuleDelivery) => {
    const these = rules.filter((rule) => rule.delivery === delivery);
    return (item: ItemToRoute) => recipientsFor({ ...item, flagged: flagged.has(item.itemId) }, these);
  };
  const instant = recipientsBy('instant');
  const alerts = items.flatMap((item) => instant(item).map((to) => ({ ...item, to })));
  const holds = await quietHoursHolds(tx, alerts, now);
  const deliveries: NewDelivery[] = alerts.map((alert, index) => ({
    accountId: alert.accountId,
    itemId: alert.itemId,
    sourceId: null,
    signInLinkId: null,
    ...addressOf(alert.to),
    kind: 'negative_item',
    incident: '',
    sendAfter: holds[index] ?? null,
  }));
  const entries: NewDigestEntry[] = [];
  for (const cadence of ['daily', 'weekly'] as const) {
    const digest = recipientsBy(cadence);
    for (const item of items) {
      for (const to of digest(item)) entries.push({ accountId: item.accountId, businessId: item.businessId, itemId: item.itemId, cadence, ...addressOf(to) });
    }
  }
  await insertDigestEntries(tx, entries);
  return insertDeliveries(tx, deliveries);
}

/** A sign-in link goes to the one address it was made for. */
function audiencesOf(occasion: { accountId: string; signInLinkId: string; email: string }): AlertAudience[] {
  const emails = occasion.email === '' ? [] : [occasion.email];
  return [{ accountId: occasion.accountId, itemId: null, sourceId: null, signInLinkId: occasion.signInLinkId, alertEmails: emails }];
}
