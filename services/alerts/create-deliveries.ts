import type { Db } from '../../db/database.ts';
import { findSourceAudience, insertDeliveries, listItemAudiences, type AlertAudience } from '../../db/repositories/alert-deliveries.ts';

export type SourceNoticeKind = 'source_needs_attention' | 'source_quiet';

/** What someone must be told about. */
export type AlertOccasion =
  /** Items newly flagged inside the alert window. */
  | { kind: 'negative_item'; itemIds: string[] }
  /** One incident of a source: it entered needs_attention at a given moment, it went quiet since a given day. */
  | { kind: SourceNoticeKind; sourceId: string; incident: string };

/**
 * The outbox: who is told about what, written as pending deliveries that the alert job
 * claims, sends and marks. Everyone on the business's alert list is told, once per
 * address, whatever its case. Returns the ids of the deliveries created: asking again
 * about the same items or the same incident creates nothing.
 *
 * Called inside the transaction that decided the alert (an item judged is an item whose
 * alert is on record); given no transaction, it opens its own.
 */
export async function createDeliveries(db: Db, occasion: AlertOccasion): Promise<string[]> {
  if (!db.isTransaction) return db.transaction().execute((tx) => createDeliveries(tx, occasion));
  const aboutItems = occasion.kind === 'negative_item';
  const audiences = aboutItems ? await listItemAudiences(db, occasion.itemIds) : await sourceAudiences(db, occasion.sourceId);
  const incident = aboutItems ? '' : occasion.incident;
  const deliveries = audiences.flatMap((audience) =>
    recipientsOf(audience.alertEmails).map((recipient) => ({
      accountId: audience.accountId,
      itemId: audience.itemId,
      sourceId: audience.sourceId,
      recipient,
      kind: occasion.kind,
      incident,
    })),
  );
  return insertDeliveries(db, deliveries);
}

/** Each address once, lower-cased: `Owner@Shop.test` and `owner@shop.test` are one inbox. */
export function recipientsOf(alertEmails: readonly string[]): string[] {
  return [...new Set(alertEmails.map((address) => address.toLowerCase()))];
}

async function sourceAudiences(db: Db, sourceId: string): Promise<AlertAudience[]> {
  const audience = await findSourceAudience(db, sourceId);
  return audience ? [audience] : [];
}
