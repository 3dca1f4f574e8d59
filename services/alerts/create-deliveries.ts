import type { Db } from '../../db/database.ts';
import { findSourceAudience, insertDeliveries, listItemAudiences, type AlertAudience } from '../../db/repositories/alert-deliveries.ts';

export type SourceNoticeKind = 'source_needs_attention' | 'source_quiet';

/** The kinds of email a one-time sign-in link goes out as: the link's purpose. */
export type SignInLinkKind = 'invitation' | 'password_reset';

/** What someone must be told about. */
export type AlertOccasion =
  /** Items newly flagged inside the alert window. */
  | { kind: 'negative_item'; itemIds: string[] }
  /** One incident of a source: it entered needs_attention at a given moment, it went quiet since a given day. */
  | { kind: SourceNoticeKind; sourceId: string; incident: string }
  /** A one-time link for the one address it was made for (none: the first owner's, shown on the console only). */
  | { kind: SignInLinkKind; accountId: string; signInLinkId: string; email: string };

/**
 * The outbox: who is told about what, written as pending deliveries that the alert job
 * claims, sends and marks. Everyone on the business's alert list is told, once per
 * address, whatever its case; a sign-in link goes to the one address it was made for.
 * Returns the ids of the deliveries created: asking again about the same items, the
 * same incident or the same link creates nothing.
 *
 * Called inside the transaction that decided the alert (an item judged is an item whose
 * alert is on record); given no transaction, it opens its own.
 */
export async function createDeliveries(db: Db, occasion: AlertOccasion): Promise<string[]> {
  if (!db.isTransaction) return db.transaction().execute((tx) => createDeliveries(tx, occasion));
  const audiences = await audiencesOf(db, occasion);
  const incident = 'incident' in occasion ? occasion.incident : '';
  const deliveries = audiences.flatMap((audience) =>
    recipientsOf(audience.alertEmails).map((recipient) => ({
      accountId: audience.accountId,
      itemId: audience.itemId,
      sourceId: audience.sourceId,
      signInLinkId: audience.signInLinkId,
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

async function audiencesOf(db: Db, occasion: AlertOccasion): Promise<AlertAudience[]> {
  switch (occasion.kind) {
    case 'negative_item':
      return listItemAudiences(db, occasion.itemIds);
    case 'invitation':
    case 'password_reset': {
      const emails = occasion.email === '' ? [] : [occasion.email];
      return [{ accountId: occasion.accountId, itemId: null, sourceId: null, signInLinkId: occasion.signInLinkId, alertEmails: emails }];
    }
    default: {
      const audience = await findSourceAudience(db, occasion.sourceId);
      return audience ? [audience] : [];
    }
  }
}
