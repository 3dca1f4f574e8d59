import type { Db } from '../../db/database.ts';
import { findAlertChannel } from '../../db/repositories/alert-channels.ts';
import { loadAlertContext, type AlertContext, type ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { loadSignInLinkContext } from '../../db/repositories/sign-in-links.ts';
import { loadSourceNoticeContext } from '../../db/repositories/source-notices.ts';
import type { SignInLinkSettings } from '../people/sign-in-link-token.ts';
import { renderNegativeItemEmail, sourceName, type RenderedEmail } from './alert-email.ts';
import { CHANNEL_NEEDS_ATTENTION, channelOfIncident, renderChannelNoticeEmail } from './channel-notice-email.ts';
import type { AlertItem, AlertMessage } from './channels/contract.ts';
import { businessDeliveryRenderer } from './business-deliveries.ts';
import { renderSignInLinkEmail } from './sign-in-link-email.ts';
import { renderSlaOverdueEmail, SLA_OVERDUE } from './sla-overdue-email.ts';
import { renderSourceNoticeEmail } from './source-notice-email.ts';

/** The item, source or sign-in link a delivery is about was deleted: it can never be sent, so retrying is pointless. */
export class DeliverySubjectGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliverySubjectGoneError';
  }
}

/** What a notice was about was deleted since (the owner removed the broken channel): nobody needs telling any more. */
export class DeliveryNoLongerNeeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryNoLongerNeeded';
  }
}

/** The header that tells what an email is about, for filters and for tracing a message back. */
export type SubjectHeader =
  | { 'X-Earshot-Item': string }
  | { 'X-Earshot-Source': string }
  | { 'X-Earshot-Sign-In-Link': string }
  | { 'X-Earshot-Business': string };

/** The email of a delivery: an item alert, a notice about a source or a channel, or an invitation or password reset. */
export async function renderDelivery(db: Db, delivery: ClaimedDelivery, links: SignInLinkSettings): Promise<{ email: RenderedEmail; header: SubjectHeader }> {
  if (delivery.kind === CHANNEL_NEEDS_ATTENTION) {
    const channel = await findAlertChannel(db, delivery.accountId, channelOfIncident(delivery.incident));
    if (!channel) throw new DeliveryNoLongerNeeded(`the channel of notice ${delivery.id} was deleted`);
    const header: SubjectHeader =
      delivery.itemId !== null
        ? { 'X-Earshot-Item': delivery.itemId }
        : delivery.businessId !== null
          ? { 'X-Earshot-Business': delivery.businessId }
          : { 'X-Earshot-Source': delivery.sourceId ?? '' };
    return { email: renderChannelNoticeEmail(channel, links.publicUrl), header };
  }
  if (delivery.businessId !== null) {
    const message = await businessDeliveryRenderer(delivery.kind)(db, { ...delivery, businessId: delivery.businessId }, links.publicUrl);
    return { email: { subject: message.title, text: message.text, html: message.html }, header: { 'X-Earshot-Business': delivery.businessId } };
  }
  if (delivery.itemId !== null) {
    const context = await loadAlertContext(db, delivery.itemId);
    if (!context) throw new DeliverySubjectGoneError(`item ${delivery.itemId} of delivery ${delivery.id} no longer exists`);
    const email = delivery.kind === SLA_OVERDUE ? await renderSlaOverdueEmail(db, context, links.publicUrl) : renderNegativeItemEmail(context, links.publicUrl);
    return { email, header: { 'X-Earshot-Item': context.item.id } };
  }
  if (delivery.signInLinkId !== null) {
    const context = await loadSignInLinkContext(db, delivery.signInLinkId);
    if (!context) throw new DeliverySubjectGoneError(`the sign-in link of delivery ${delivery.id} no longer exists`);
    return { email: renderSignInLinkEmail(context, links), header: { 'X-Earshot-Sign-In-Link': context.link.id } };
  }
  const context = delivery.sourceId === null ? undefined : await loadSourceNoticeContext(db, delivery.sourceId);
  if (!context) throw new DeliverySubjectGoneError(`the source of delivery ${delivery.id} no longer exists`);
  return { email: renderSourceNoticeEmail(delivery.kind, context, links.publicUrl), header: { 'X-Earshot-Source': context.sourceId } };
}

/**
 * The message a channel delivery carries: what the email says, as one AlertMessage the
 * channel renders in its own form (an item alert with its facts and links, or a source notice).
 */
export async function renderChannelMessage(db: Db, delivery: ClaimedDelivery, publicUrl: string): Promise<AlertMessage> {
  if (delivery.itemId !== null) {
    const context = await loadAlertContext(db, delivery.itemId);
    if (!context) throw new DeliverySubjectGoneError(`item ${delivery.itemId} of delivery ${delivery.id} no longer exists`);
    const email = delivery.kind === SLA_OVERDUE ? await renderSlaOverdueEmail(db, context, publicUrl) : renderNegativeItemEmail(context, publicUrl);
    return { deliveryId: delivery.id, kind: delivery.kind, title: email.subject, text: email.text, item: alertItemOf(context, publicUrl) };
  }
  if (delivery.businessId !== null) {
    const message = await businessDeliveryRenderer(delivery.kind)(db, { ...delivery, businessId: delivery.businessId }, publicUrl);
    return { deliveryId: delivery.id, kind: delivery.kind, ...message };
  }
  const context = delivery.sourceId === null ? undefined : await loadSourceNoticeContext(db, delivery.sourceId);
  if (!context) throw new DeliverySubjectGoneError(`the source of delivery ${delivery.id} no longer exists`);
  const email = renderSourceNoticeEmail(delivery.kind, context, publicUrl);
  return { deliveryId: delivery.id, kind: delivery.kind, title: email.subject, text: email.text };
}

function alertItemOf(context: AlertContext, publicUrl: string): AlertItem {
  const { item } = context;
  return {
    itemId: item.id,
    kind: item.kind === 'mention' ? 'mention' : 'review',
    businessName: context.businessName,
    sourceType: context.sourceType,
    sourceName: sourceName(context.sourceType),
    rating: item.rating,
    author: item.author,
    title: item.title,
    text: item.body,
    publishedAt: item.publishedAt ?? item.firstSeenAt,
    originalUrl: item.url,
    itemUrl: `${publicUrl}/items/${item.id}`,
    sentiment: isSentiment(item.sentimentLabel) ? item.sentimentLabel : null,
  };
}

function isSentiment(label: string | null): label is NonNullable<AlertItem['sentiment']> {
  return label === 'negative' || label === 'neutral' || label === 'positive' || label === 'unknown';
}
