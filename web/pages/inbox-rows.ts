import { findConnector } from '../../connectors/registry.ts';
import type { InboxRow, InboxSource } from '../../db/repositories/inbox-queries.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { sourceName } from '../../services/alerts/alert-email.ts';
import { slaStatus, type SlaStatus } from '../../services/inbox/sla-status.ts';
import type { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { html, type Html } from '../html.ts';
import { ageWords, durationWords, firstLine, starsText } from './inbox-words.ts';

/** What rendering rows needs beside the rows: names of sources and businesses, and each business's SLA clock. */
export interface RowContext {
  sources: ReadonlyMap<string, InboxSource>;
  businesses: ReadonlyMap<string, BusinessRecord>;
  clocks: OpeningClocks;
  /** Rows name their business only when the person sees more than one. */
  showBusiness: boolean;
  now: Date;
}

export function rowContext(sources: readonly InboxSource[], businesses: readonly BusinessRecord[], clocks: OpeningClocks, now: Date): RowContext {
  return {
    sources: new Map(sources.map((source) => [source.id, source])),
    businesses: new Map(businesses.map((business) => [business.id, business])),
    clocks,
    showBusiness: businesses.length > 1,
    now,
  };
}

/** The item's SLA standing, or undefined when its business is out of sight (never, within scope). */
export function itemSla(
  item: Pick<InboxRow, 'businessId' | 'sourceId' | 'publishedAt' | 'firstSeenAt' | 'firstResponseAt'>,
  sourceType: string | undefined,
  business: BusinessRecord | undefined,
  clocks: OpeningClocks,
  now: Date,
): SlaStatus | undefined {
  if (business === undefined) return undefined;
  const repliable = sourceType === undefined ? true : (findConnector(sourceType)?.repliable ?? true);
  return slaStatus({ ...item, repliable }, { slaHours: business.slaHours, clock: clocks.of(business.timezone, business.openingHours) }, now);
}

/** The SLA badge: time left or overdue; nothing once answered or where no answer is expected. */
export function slaBadge(status: SlaStatus | undefined, business: BusinessRecord | undefined): Html {
  if (status === undefined || business === undefined || status.kind === 'answered' || status.kind === 'not_measured') return html``;
  const counted = business.openingHours === null ? `${business.slaHours} h` : `${business.slaHours} opening hours`;
  if (status.kind === 'overdue') {
    return html`<span class="badge overdue" title="Reply was due within ${counted}">Overdue ${durationWords(status.overMs)}</span>`;
  }
  const urgency = status.leftMs < status.slaMs / 4 ? 'due' : 'ok';
  return html`<span class="badge ${urgency}" title="Reply due within ${counted}">${durationWords(status.leftMs)} left</span>`;
}

export function starsBadge(rating: number | null): Html {
  if (rating === null) return html``;
  return html`<span class="stars" role="img" aria-label="${rating} of 5 stars">${starsText(rating)}</span>`;
}

function inboxRow(row: InboxRow, context: RowContext): Html {
  const source = context.sources.get(row.sourceId);
  const business = context.businesses.get(row.businessId);
  const sla = itemSla(row, source?.type, business, context.clocks, context.now);
  const line = firstLine(row.excerpt);
  const publishedAt = row.publishedAt ?? row.firstSeenAt;
  return html`<li class="inbox-row" data-id="${row.id}">
<a class="row-link" href="/items/${row.id}">
<span class="row-head"><span class="row-source">${source === undefined ? 'Unknown source' : sourceName(source.type)}</span>${
    context.showBusiness && business !== undefined ? html`<span class="row-business">${business.name}</span>` : ''
  }${starsBadge(row.rating)}<span class="row-author">${row.author ?? 'Anonymous'}</span><time datetime="${publishedAt.toISOString()}">${ageWords(publishedAt, context.now)}</time>${slaBadge(sla, business)}</span>
<span class="row-text">${row.title !== null && row.title.trim() !== '' ? html`<strong>${firstLine(row.title, 120)}</strong> ` : ''}${line === '' ? html`<span class="muted">(no text)</span>` : line}</span>
</a>
</li>`;
}

export function inboxRows(rows: readonly InboxRow[], context: RowContext): Html {
  return html`${rows.map((row) => inboxRow(row, context))}`;
}
