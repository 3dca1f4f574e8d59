import { findConnector } from '../../connectors/registry.ts';
import type { AlertContext } from '../../db/repositories/alert-deliveries.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What owners call the platform (the connector's short name), or the type itself if no connector has it. */
export function sourceName(type: string): string {
  return findConnector(type)?.shortName ?? type;
}

function stars(rating: number | null): string {
  return rating === null ? '' : '★'.repeat(rating) + '☆'.repeat(5 - rating);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function snippet(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** What the alert is, in one sentence: a rule can send items that are not negative. */
function leadSentence(what: string, sentimentLabel: string | null): string {
  if (sentimentLabel === 'unknown') return `A new ${what} that Earshot could not judge — please look.`;
  if (sentimentLabel === 'negative' || sentimentLabel === null) return `A new negative ${what} needs attention.`;
  return `A new ${what} matched your alert rule.`;
}

/** The email an owner gets about one bad review or mention: everything needed to act, in both parts. */
export function renderNegativeItemEmail(context: AlertContext, publicUrl: string): RenderedEmail {
  const { item, businessName } = context;
  const platform = sourceName(context.sourceType);
  const what = item.kind === 'review' ? `${item.rating !== null ? `${item.rating}-star ` : ''}${platform} review` : `${platform} mention`;
  const subject = `New ${what} for ${businessName}: "${snippet(item.body || item.title || '', 60)}"`;
  const date = (item.publishedAt ?? item.firstSeenAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const earshotLink = `${publicUrl}/items/${item.id}`;
  const fields: Array<[string, string]> = [
    ['Business', businessName],
    ['Source', platform],
    ...(item.rating !== null ? [['Rating', `${stars(item.rating)} (${item.rating}/5)`] as [string, string]] : []),
    ['Author', item.author ?? 'unknown'],
    ['Date', date],
    ['Original', item.url ?? 'no link given by the platform'],
    ['Earshot item', item.id],
  ];
  const lead = leadSentence(what, item.sentimentLabel);
  const text = [
    lead,
    '',
    ...fields.map(([label, value]) => `${label}: ${value}`),
    '',
    ...(item.title ? [item.title, ''] : []),
    item.body,
    '',
    `Mark it responded or resolved in Earshot: ${earshotLink}`,
  ].join('\n');
  const rows = fields
    .map(([label, value]) => {
      const shown = label === 'Original' && item.url ? `<a href="${escapeHtml(item.url)}">${escapeHtml(item.url)}</a>` : escapeHtml(value);
      return `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${shown}</td></tr>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html><body style="font-family:sans-serif">
<p>${escapeHtml(lead)}</p>
<table>${rows}</table>
${item.title ? `<h3>${escapeHtml(item.title)}</h3>` : ''}
<blockquote style="border-left:3px solid #c33;padding-left:12px;white-space:pre-wrap">${escapeHtml(item.body)}</blockquote>
<p><a href="${escapeHtml(earshotLink)}">Open item ${escapeHtml(item.id)} in Earshot</a></p>
</body></html>`;
  return { subject, text, html };
}
