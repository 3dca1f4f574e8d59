import type { AlertMessage } from '../contract.ts';

/**
 * The JSON body of the outbound webhook: the message as it is, dates as ISO 8601.
 * Receivers rely on this shape (docs/architecture.md, "Adding an alert channel" names it):
 * fields may be added, none renamed or removed.
 */
export function webhookBody(message: AlertMessage): string {
  const { deliveryId, kind, title, text, item } = message;
  return JSON.stringify({
    deliveryId,
    kind,
    title,
    text,
    item: item === undefined ? null : { ...item, publishedAt: item.publishedAt.toISOString() },
  });
}
