import { countNegativeItems, listNegativeArrivals, type SpikeItem } from '../../db/repositories/spikes.ts';
import { topicWords } from '../analysis/sentiment/topics.ts';
import { escapeHtml, sourceName } from './alert-email.ts';
import type { BusinessDeliveryRenderer, RenderedBusinessMessage } from './business-deliveries.ts';
import { alertDate, starsOf } from './channels/item-facts.ts';
import { firstLine } from './digests/digest-item.ts';
import { sharedTopic, SPIKE_HISTORY_DAYS, SPIKE_WINDOW_HOURS, spikeWindow, usualPerWindow } from './spike-rule.ts';

/** Items listed at most; the inbox has the rest. */
const LISTED = 25;

/**
 * A spike alert (kind `spike`), as it reads when sent: "7 bad reviews in the last 6 hours for
 * Sam's Diner — most about waiting", how many the business usually gets, and the items with
 * links. The window is the one the alert was decided on: the hours before the delivery was written.
 */
export const renderSpike: BusinessDeliveryRenderer = async (db, delivery, publicUrl) => {
  const window = spikeWindow(delivery.createdAt);
  const [counts] = await countNegativeItems(db, window, { businessId: delivery.businessId });
  if (counts === undefined) throw new Error(`the business of spike delivery ${delivery.id} no longer exists`);
  const items = await listNegativeArrivals(db, delivery.businessId, window);
  return spikeMessage({
    businessName: counts.businessName,
    items,
    usual: usualPerWindow(counts.history),
    itemUrl: (itemId) => `${publicUrl}/items/${itemId}`,
    inboxUrl: `${publicUrl}/?business=${delivery.businessId}`,
  });
};

interface SpikeContent {
  businessName: string;
  items: readonly SpikeItem[];
  /** The mean count per window over the history. */
  usual: number;
  itemUrl(itemId: string): string;
  inboxUrl: string;
}

function spikeMessage(content: SpikeContent): RenderedBusinessMessage {
  const { items } = content;
  const topic = sharedTopic(items);
  const title = `${items.length} ${badWhat(items)} in the last ${SPIKE_WINDOW_HOURS} hours for ${content.businessName}${topic === null ? '' : ` — most about ${topicWords(topic)}`}`;
  const usual = `Usually ${usualWords(content.usual)} in ${SPIKE_WINDOW_HOURS} hours (the average over the last ${SPIKE_HISTORY_DAYS} days).`;
  const listed = items.slice(0, LISTED);
  const more = items.length - listed.length;
  const text = [
    `${title}.`,
    usual,
    '',
    ...listed.flatMap((item) => [`- ${headline(item)}`, `  "${firstLine({ title: item.title, text: item.body })}"`, `  ${content.itemUrl(item.itemId)}`]),
    ...(more > 0 ? [`…and ${more} more in the inbox.`] : []),
    '',
    `Open the inbox: ${content.inboxUrl}`,
  ].join('\n');
  const rows = listed.map(
    (item) =>
      `<tr><td style="padding:6px 12px 6px 0;vertical-align:top">${escapeHtml(headline(item))}<br><a href="${escapeHtml(content.itemUrl(item.itemId))}">${escapeHtml(firstLine({ title: item.title, text: item.body }))}</a></td></tr>`,
  );
  const html = `<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.4">
<h1 style="font-size:20px;margin:0 0 8px">${escapeHtml(title)}</h1>
<p style="margin:0 0 16px;color:#555555">${escapeHtml(usual)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0">${rows.join('\n')}</table>
${more > 0 ? `<p>…and ${more} more in the inbox.</p>` : ''}
<p style="margin-top:24px"><a href="${escapeHtml(content.inboxUrl)}">Open the inbox in Earshot</a></p>
</body></html>`;
  return { title, text, html };
}

/** "bad reviews", "bad mentions", or both. */
function badWhat(items: readonly SpikeItem[]): string {
  const reviews = items.some((item) => item.kind === 'review');
  const mentions = items.some((item) => item.kind === 'mention');
  return reviews && mentions ? 'bad reviews and mentions' : mentions ? 'bad mentions' : 'bad reviews';
}

/** "Google review · ★☆☆☆☆ (1/5) · Pat · 2026-12-06 12:30 UTC". */
function headline(item: SpikeItem): string {
  const what = `${sourceName(item.sourceType)} ${item.kind === 'mention' ? 'mention' : 'review'}`;
  return [what, ...(item.rating === null ? [] : [starsOf(item.rating)]), item.author ?? 'unknown', alertDate(item.publishedAt)].join(' · ');
}

function usualWords(mean: number): string {
  if (mean === 0) return 'none';
  if (mean < 0.1) return 'fewer than 0.1';
  return String(Math.round(mean * 10) / 10);
}
