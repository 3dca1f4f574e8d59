import type { AlertContext } from '../../../../db/repositories/alert-deliveries.ts';
import { escapeHtml, renderNegativeItemEmail, type RenderedEmail } from '../../alert-email.ts';
import type { AlertItem, AlertMessage } from '../contract.ts';

/**
 * The email of a message: an item alert is the same email owners get today (the
 * renderer in services/alerts/alert-email.ts); any other kind is its title and text.
 */
export function renderChannelEmail(message: AlertMessage): RenderedEmail {
  if (message.item !== undefined) {
    const { context, publicUrl } = asAlertContext(message.item);
    return renderNegativeItemEmail(context, publicUrl);
  }
  return {
    subject: message.title,
    text: message.text,
    html: message.html ?? `<!doctype html>
<html><body style="font-family:sans-serif">
<p style="white-space:pre-wrap">${escapeHtml(message.text)}</p>
</body></html>`,
  };
}

/**
 * The renderer's own input, rebuilt from the message. It names the platform from the
 * source type through the connector registry, and links to `<publicUrl>/items/<id>`,
 * which is how `itemUrl` is made.
 */
function asAlertContext(item: AlertItem): { context: AlertContext; publicUrl: string } {
  const suffix = `/items/${item.itemId}`;
  if (!item.itemUrl.endsWith(suffix)) throw new Error(`itemUrl of item ${item.itemId} does not end with ${suffix}`);
  return {
    publicUrl: item.itemUrl.slice(0, -suffix.length),
    context: {
      businessName: item.businessName,
      sourceType: item.sourceType,
      item: {
        id: item.itemId,
        kind: item.kind,
        rating: item.rating,
        author: item.author,
        title: item.title,
        body: item.text,
        url: item.originalUrl,
        publishedAt: item.publishedAt,
        firstSeenAt: item.publishedAt,
        sentimentLabel: item.sentiment ?? null,
      },
    },
  };
}
