import type { Db } from '../../db/database.ts';
import { loadAlertContext, type ClaimedDelivery } from '../../db/repositories/alert-deliveries.ts';
import { loadSourceNoticeContext } from '../../db/repositories/source-notices.ts';
import { renderNegativeItemEmail, type RenderedEmail } from './alert-email.ts';
import { renderSourceNoticeEmail } from './source-notice-email.ts';

/** The item or source a delivery is about was deleted: it can never be sent, so retrying is pointless. */
export class DeliverySubjectGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliverySubjectGoneError';
  }
}

/** The email of a delivery: an item alert, or a notice about a source. */
export async function renderDelivery(db: Db, delivery: ClaimedDelivery, publicUrl: string): Promise<{ email: RenderedEmail; itemId: string | null }> {
  if (delivery.itemId !== null) {
    const context = await loadAlertContext(db, delivery.itemId);
    if (!context) throw new DeliverySubjectGoneError(`item ${delivery.itemId} of delivery ${delivery.id} no longer exists`);
    return { email: renderNegativeItemEmail(context, publicUrl), itemId: context.item.id };
  }
  const context = delivery.sourceId === null ? undefined : await loadSourceNoticeContext(db, delivery.sourceId);
  if (!context) throw new DeliverySubjectGoneError(`the source of delivery ${delivery.id} no longer exists`);
  return { email: renderSourceNoticeEmail(delivery.kind, context, publicUrl), itemId: null };
}
