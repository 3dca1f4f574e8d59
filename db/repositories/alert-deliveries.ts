import { sql } from 'kysely';
import { claimColumns, secondsAgo } from './outbox-claims.ts';
import type { Db } from '../database.ts';
import { insertItemEvents } from './item-events.ts';

/** Whose addresses are told about one subject: an item, a source, or a one-time sign-in link. */
export interface AlertAudience {
  accountId: string;
  itemId: string | null;
  sourceId: string | null;
  signInLinkId: string | null;
  alertEmails: string[];
}

/**
 * The alert addresses of each item's business. The items are locked against deletion
 * until the caller's transaction ends, so the deliveries written next find them.
 */
export async function listItemAudiences(tx: Db, itemIds: string[]): Promise<AlertAudience[]> {
  if (itemIds.length === 0) return [];
  const rows = await tx
    .selectFrom('items as i')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .select(['i.account_id', 'i.id', 'b.alert_emails'])
    // One array parameter, not one per id: a page is hundreds of ids.
    .where('i.id', '=', sql<string>`ANY(${itemIds}::uuid[])`)
    .forKeyShare('i')
    .execute();
  return rows.map((row) => ({ accountId: row.account_id, itemId: row.id, sourceId: null, signInLinkId: null, alertEmails: row.alert_emails }));
}

/** The alert addresses of the source's business, the source locked against deletion as above. */
export async function findSourceAudience(tx: Db, sourceId: string): Promise<AlertAudience | undefined> {
  const row = await tx
    .selectFrom('sources as s')
    .innerJoin('businesses as b', 'b.id', 's.business_id')
    .select(['s.account_id', 's.id', 'b.alert_emails'])
    .where('s.id', '=', sourceId)
    .forKeyShare('s')
    .executeTakeFirst();
  return row && { accountId: row.account_id, itemId: null, sourceId: row.id, signInLinkId: null, alertEmails: row.alert_emails };
}

/**
 * The alert addresses of a business, for notices about a delivery that is about the
 * business itself (a digest whose channel refused it). The business is locked against
 * deletion as above.
 */
export async function findBusinessAudience(tx: Db, businessId: string): Promise<AlertAudience | undefined> {
  const row = await tx.selectFrom('businesses').select(['account_id', 'alert_emails']).where('id', '=', businessId).forKeyShare().executeTakeFirst();
  return row && { accountId: row.account_id, itemId: null, sourceId: null, signInLinkId: null, alertEmails: row.alert_emails };
}

export interface NewDelivery {
  accountId: string;
  /** Exactly one of the four: an item alert, a notice about a source, a sign-in link, or something about a business (a digest, a weekly report, a spike). */
  itemId: string | null;
  sourceId: string | null;
  signInLinkId: string | null;
  businessId?: string | null;
  recipient: string;
  /** Sent through this alert channel rather than by email; `recipient` then reads `channel:<id>`. */
  channelId?: string | null;
  kind: string;
  /** Which occurrence of a source's trouble, or which digest period; '' for item alerts. */
  incident: string;
  /** Held by quiet hours until this instant; absent or null: send at once. */
  sendAfter?: Date | null;
}

/**
 * Writes pending deliveries and returns the ids of those it created. A delivery that
 * already exists (unique per item, recipient and kind, per source, recipient, kind
 * and incident, or per sign-in link, recipient and kind) is left as it is: asking
 * twice about the same thing tells no one twice.
 */
export async function insertDeliveries(db: Db, deliveries: NewDelivery[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const column = <T>(pick: (delivery: NewDelivery) => T) => deliveries.map(pick);
  const result = await sql<{ id: string }>`
    INSERT INTO alert_deliveries (account_id, item_id, source_id, sign_in_link_id, business_id, channel_id, recipient, kind, incident, send_after)
    SELECT * FROM unnest(
      ${column((d) => d.accountId)}::uuid[],
      ${column((d) => d.itemId)}::uuid[],
      ${column((d) => d.sourceId)}::uuid[],
      ${column((d) => d.signInLinkId)}::uuid[],
      ${column((d) => d.businessId ?? null)}::uuid[],
      ${column((d) => d.channelId ?? null)}::uuid[],
      ${column((d) => d.recipient)}::text[],
      ${column((d) => d.kind)}::text[],
      ${column((d) => d.incident)}::text[],
      ${column((d) => d.sendAfter?.toISOString() ?? null)}::timestamptz[]
    )
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db);
  return result.rows.map((row) => row.id);
}

/** Deliveries about these items still waiting to be sent. */
export async function pendingDeliveriesFor(db: Db, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const rows = await db
    .selectFrom('alert_deliveries')
    .select('id')
    .where('item_id', '=', sql<string>`ANY(${itemIds}::uuid[])`)
    .where('status', '=', 'pending')
    .execute();
  return rows.map((r) => r.id);
}

export interface ClaimedDelivery {
  id: string;
  claimToken: string;
  accountId: string;
  recipient: string;
  kind: string;
  /** An item alert has an item; a notice about a source has a source; an invitation or reset its link. */
  itemId: string | null;
  sourceId: string | null;
  signInLinkId: string | null;
  /** A digest, weekly report or spike alert is about a business. */
  businessId: string | null;
  /** Sent through this alert channel; null for an email to `recipient`. */
  channelId: string | null;
  /** Which occurrence a notice is about, or which period a digest covers; '' for item alerts. */
  incident: string;
  createdAt: Date;
}

/**
 * Kinds of email that are about an item's channel, not the item: their sending is not
 * the item being alerted, so it stays off the item's timeline.
 */
export const OFF_TIMELINE_KINDS: ReadonlySet<string> = new Set(['channel_needs_attention']);

export type ClaimOutcome =
  | { kind: 'claimed'; delivery: ClaimedDelivery }
  | { kind: 'already_sent' }
  | { kind: 'held_elsewhere' }
  /** Quiet hours hold it until `until`: not a failure, its job comes back then. */
  | { kind: 'held_until'; until: Date }
  | { kind: 'missing' };

/**
 * Takes a delivery for sending. A delivery claimed by a worker that died is taken
 * over once its lease has run out; one that is sent is never taken again.
 */
export async function claimDelivery(db: Db, deliveryId: string, leaseSeconds: number): Promise<ClaimOutcome> {
  const claimed = await db
    .updateTable('alert_deliveries')
    .set(claimColumns())
    .where('id', '=', deliveryId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', secondsAgo(leaseSeconds))]),
      ]),
    )
    .where((eb) => eb.or([eb('send_after', 'is', null), eb('send_after', '<=', sql<Date>`now()`)]))
    .returning(['id', 'claim_token', 'account_id', 'recipient', 'kind', 'item_id', 'source_id', 'sign_in_link_id', 'business_id', 'channel_id', 'incident', 'created_at'])
    .executeTakeFirst();
  if (claimed) {
    return {
      kind: 'claimed',
      delivery: {
        id: claimed.id,
        claimToken: claimed.claim_token as string,
        accountId: claimed.account_id,
        recipient: claimed.recipient,
        kind: claimed.kind,
        itemId: claimed.item_id,
        sourceId: claimed.source_id,
        signInLinkId: claimed.sign_in_link_id,
        businessId: claimed.business_id,
        channelId: claimed.channel_id,
        incident: claimed.incident,
        createdAt: claimed.created_at,
      },
    };
  }
  const row = await db
    .selectFrom('alert_deliveries')
    .select(['status', 'send_after', sql<boolean>`send_after > now()`.as('held')])
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) return { kind: 'missing' };
  if (row.status === 'pending' && row.held && row.send_after !== null) return { kind: 'held_until', until: row.send_after };
  // An unknown outcome is settled too: sending it again could double the message.
  return row.status === 'sent' || row.status === 'unknown' ? { kind: 'already_sent' } : { kind: 'held_elsewhere' };
}

/**
 * What the `alerted` timeline event says about a send: the email's Message-ID, or the
 * channel it went through (by name, as the owner knows it) and what the channel answered.
 */
export type SentDetail =
  | { kind: string; messageId: string }
  | { kind: string; channel: { id: string; name: string; type: string }; receipt: string };

/** Records the send and the timeline event in one transaction; only the claim holder may. */
export async function markDeliverySent(db: Db, delivery: ClaimedDelivery, detail: SentDetail): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('alert_deliveries')
      .set({ status: 'sent', sent_at: sql<Date>`now()`, last_error: null, last_error_at: null, updated_at: sql<Date>`now()` })
      .where('id', '=', delivery.id)
      .where('claim_token', '=', delivery.claimToken)
      .returning(['account_id'])
      .executeTakeFirst();
    if (!row || delivery.itemId === null || OFF_TIMELINE_KINDS.has(delivery.kind)) return;
    const data =
      'channel' in detail
        ? { to: detail.channel.name, kind: detail.kind, channelId: detail.channel.id, channelType: detail.channel.type, receipt: detail.receipt }
        : { to: delivery.recipient, kind: detail.kind, messageId: detail.messageId };
    await insertItemEvents(tx, [{ itemId: delivery.itemId, accountId: row.account_id, type: 'alerted', actor: 'system', data }]);
  });
}

/**
 * Settles a channel send whose outcome cannot be known (asked, never answered): it may
 * have arrived, so it is never claimed again; `reason` stays for an owner to look at in
 * delivery health. Only the claim holder may.
 */
export async function markDeliveryUnknown(db: Db, delivery: ClaimedDelivery, reason: string): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({ status: 'unknown', claim_token: null, last_error: reason.slice(0, 1000), last_error_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', delivery.id)
    .where('claim_token', '=', delivery.claimToken)
    .execute();
}

/** Removes a claimed delivery that no longer needs sending (what it was about was deleted). */
export async function dropDelivery(db: Db, delivery: ClaimedDelivery): Promise<void> {
  await db.deleteFrom('alert_deliveries').where('id', '=', delivery.id).where('claim_token', '=', delivery.claimToken).execute();
}

/**
 * Records a send the worker noted locally while PostgreSQL was unreachable (see
 * services/alerts/sent-journal.ts), whoever holds the claim now: the email left, so the
 * delivery is sent, and a worker that took the lease over will find it so before sending.
 * Does nothing to a delivery already sent or gone.
 */
export async function markJournalledSend(db: Db, send: { deliveryId: string; messageId: string; kind: string; sentAt: Date }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('alert_deliveries')
      .set({ status: 'sent', sent_at: send.sentAt, claim_token: null, last_error: null, last_error_at: null, updated_at: sql<Date>`now()` })
      .where('id', '=', send.deliveryId)
      .where('status', '<>', 'sent')
      .returning(['account_id', 'item_id', 'recipient'])
      .executeTakeFirst();
    if (!row || row.item_id === null || OFF_TIMELINE_KINDS.has(send.kind)) return;
    const data = { to: row.recipient, kind: send.kind, messageId: send.messageId };
    await insertItemEvents(tx, [{ itemId: row.item_id, accountId: row.account_id, type: 'alerted', actor: 'system', data, at: send.sentAt }]);
  });
}

/**
 * Gives a delivery back after a failed attempt, so the next retry can claim it at once.
 * The first failure of a delivery also puts `alert_waiting` (with the reason) on its item's
 * timeline: one event per change of state, not one per retry — later failures only
 * update `last_error`, and `alerted` follows once it is sent.
 */
export async function releaseDelivery(db: Db, delivery: ClaimedDelivery, error: string): Promise<void> {
  const reason = error.slice(0, 1000);
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('alert_deliveries')
      .select(['account_id', 'last_error'])
      .where('id', '=', delivery.id)
      .where('claim_token', '=', delivery.claimToken)
      .where('status', '=', 'sending')
      .forUpdate()
      .executeTakeFirst();
    if (before === undefined) return;
    await tx
      .updateTable('alert_deliveries')
      .set({ status: 'pending', claim_token: null, claimed_at: null, last_error: reason, last_error_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', delivery.id)
      .execute();
    if (before.last_error !== null || delivery.itemId === null || OFF_TIMELINE_KINDS.has(delivery.kind)) return;
    const data = { to: delivery.recipient, kind: delivery.kind, reason };
    await insertItemEvents(tx, [{ itemId: delivery.itemId, accountId: before.account_id, type: 'alert_waiting', actor: 'system', data }]);
  });
}

/**
 * Deliveries that are unsent and that nothing is working on: untouched for longer than
 * any retry would wait (`idleSeconds`), or claimed by a worker whose lease ran out.
 * The reconciler's list after a lost queue or a dead worker.
 */
export async function listStrandedDeliveries(
  db: Db,
  windows: { graceSeconds: number; idleSeconds: number; leaseSeconds: number },
  limit = 1000,
): Promise<Array<{ id: string; attempts: number }>> {
  return db
    .selectFrom('alert_deliveries')
    .select(['id', 'attempts'])
    .where((eb) =>
      eb.or([
        // Never tried: its job was lost between the analysis commit and the enqueue, or
        // quiet hours held it and they are over (its delayed job may be lost with Redis).
        eb.and([eb('status', '=', 'pending'), eb('attempts', '=', 0), eb(sql`greatest(updated_at, send_after)`, '<', secondsAgo(windows.graceSeconds))]),
        eb.and([eb('status', '=', 'pending'), eb(sql`greatest(updated_at, send_after)`, '<', secondsAgo(windows.idleSeconds))]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', secondsAgo(windows.leaseSeconds))]),
      ]),
    )
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

export interface AlertContext {
  businessName: string;
  sourceType: string;
  item: {
    id: string;
    kind: string;
    rating: number | null;
    author: string | null;
    title: string | null;
    body: string;
    url: string | null;
    publishedAt: Date | null;
    firstSeenAt: Date;
    sentimentLabel: string | null;
  };
}

export async function loadAlertContext(db: Db, itemId: string): Promise<AlertContext | undefined> {
  const row = await db
    .selectFrom('items as i')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .innerJoin('sources as s', 's.id', 'i.source_id')
    .select([
      'b.name as business_name',
      's.type as source_type',
      'i.id', 'i.kind', 'i.rating', 'i.author', 'i.title', 'i.body', 'i.url', 'i.published_at', 'i.first_seen_at', 'i.sentiment_label',
    ])
    .where('i.id', '=', itemId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    businessName: row.business_name,
    sourceType: row.source_type,
    item: {
      id: row.id,
      kind: row.kind,
      rating: row.rating,
      author: row.author,
      title: row.title,
      body: row.body,
      url: row.url,
      publishedAt: row.published_at,
      firstSeenAt: row.first_seen_at,
      sentimentLabel: row.sentiment_label,
    },
  };
}
