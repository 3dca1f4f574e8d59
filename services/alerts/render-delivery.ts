import type { Db } from '../../db/database.ts';
import { loadAlertContext, type ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { loadSignInLinkContext } from '../../db/repositories/sign-in-links.ts';
import { loadSourceNoticeContext } from '../../db/repositories/source-notices.ts';
import type { SignInLinkSettings } from '../people/sign-in-link-token.ts';
import { renderNegativeItemEmail, type RenderedEmail } from './alert-email.ts';
import { renderSignInLinkEmail } from './sign-in-link-email.ts';
import { renderSourceNoticeEmail } from './source-notice-email.ts';

/** The item, source or sign-in link a delivery is about was deleted: it can never be sent, so retrying is pointless. */
export class DeliverySubjectGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliverySubjectGoneError';
  }
}

/** The header that tells what an email is about, for filters and for tracing a message back. */
export type SubjectHeader = { 'X-Earshot-Item': string } | { 'X-Earshot-Source': string } | { 'X-Earshot-Sign-In-Link': string };

/** The email of a delivery: an item alert, a notice about a source, or an invitation or password reset. */
export async function renderDelivery(db: Db, delivery: ClaimedDelivery, links: SignInLinkSettings): Promise<{ email: RenderedEmail; header: SubjectHeader }> {
  if (delivery.itemId !== null) {
    const context = await loadAlertContext(db, delivery.itemId);
    if (!context) throw new DeliverySubjectGoneError(`item ${delivery.itemId} of delivery ${delivery.id} no longer exists`);
    return { email: renderNegativeItemEmail(context, links.publicUrl), header: { 'X-Earshot-Item': context.item.id } };
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
