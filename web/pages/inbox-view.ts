import { INBOX_TABS, type InboxFilters, type InboxPosition, type InboxTab } from '../../db/repositories/inbox-queries.ts';
import type { SentimentLabel } from '../../db/schema.ts';
import { COMPLAINT_TOPICS } from '../../services/analysis/sentiment/topics.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import { SENTIMENT_LABELS } from '../../services/api/schemas/item.ts';

/**
 * What an inbox URL asks for: `/?tab=mine&business=..&source=..&stars=..&sentiment=..&topic=..&q=..&after=..`.
 * Every view has a URL, so a link or a reload shows the same rows.
 */
export interface InboxRequest {
  tab: InboxTab;
  filters: InboxFilters;
  after: InboxPosition | undefined;
  /** A value that could not be read, named for the person; the rest of the view still applies. */
  problem: string | undefined;
}

export const TAB_LABELS: Record<InboxTab, string> = { needs: 'Needs reply', mine: 'Mine', waiting: 'Waiting', done: 'Done', all: 'All' };

const SORT_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const Q_MAX = 200;

/** The last value of a query parameter (a repeated one counts once), trimmed; '' when absent. */
function queryValue(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const one = Array.isArray(value) ? value.at(-1) : value;
  return typeof one === 'string' ? one.trim() : '';
}

/** The `after` cursor: `<star rank or nothing>~<sort time>~<id>`. */
export function positionParam(position: InboxPosition): string {
  return `${position.rank ?? ''}~${position.sortAt}~${position.id}`;
}

function readPosition(text: string): InboxPosition | undefined {
  const [rank, sortAt, id, ...rest] = text.split('~');
  if (rest.length > 0 || sortAt === undefined || id === undefined || !SORT_AT.test(sortAt) || !isUuid(id)) return undefined;
  if (rank !== '' && !/^[1-6]$/.test(rank ?? '')) return undefined;
  return { rank: rank === '' ? null : Number(rank), sortAt, id };
}

export function readInboxRequest(query: unknown): InboxRequest {
  const problems: string[] = [];
  const tabText = queryValue(query, 'tab');
  const tab = (INBOX_TABS as readonly string[]).includes(tabText) ? (tabText as InboxTab) : 'needs';
  if (tabText !== '' && tab !== tabText) problems.push(`There is no "${tabText}" tab; showing Needs reply.`);

  const filters: InboxFilters = {};
  const business = queryValue(query, 'business');
  if (business !== '') {
    if (isUuid(business)) filters.businessId = business.toLowerCase();
    else problems.push('Business: choose one from the list.');
  }
  const source = queryValue(query, 'source');
  if (source !== '') {
    if (isUuid(source)) filters.sourceId = source.toLowerCase();
    else problems.push('Source: choose one from the list.');
  }
  const stars = queryValue(query, 'stars');
  if (stars !== '') {
    if (/^[1-5]$/.test(stars)) filters.rating = Number(stars);
    else problems.push('Stars: choose 1 to 5.');
  }
  const sentiment = queryValue(query, 'sentiment');
  if (sentiment !== '') {
    if ((SENTIMENT_LABELS as readonly string[]).includes(sentiment)) filters.sentiment = sentiment as SentimentLabel;
    else problems.push('Sentiment: choose one from the list.');
  }
  const topic = queryValue(query, 'topic');
  if (topic !== '') {
    if ((COMPLAINT_TOPICS as readonly string[]).includes(topic)) filters.topic = topic;
    else problems.push('Topic: choose one from the list.');
  }
  const q = queryValue(query, 'q');
  if (q !== '') {
    if (q.length <= Q_MAX) filters.q = q;
    else problems.push(`Text: at most ${Q_MAX} characters.`);
  }
  const afterText = queryValue(query, 'after');
  const after = afterText === '' ? undefined : readPosition(afterText);
  if (afterText !== '' && after === undefined) problems.push('That page link is damaged; showing the first page.');
  // A cursor of another tab's order would start the page at a meaningless place.
  const usable = after !== undefined && (after.rank !== null) === (tab === 'needs') ? after : undefined;
  return { tab, filters, after: usable, problem: problems.length > 0 ? problems.join(' ') : undefined };
}

/** The query string of a view (without `after` unless given), for tab links, paging and live rows. */
export function inboxQuery(tab: InboxTab, filters: InboxFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (tab !== 'needs') params.set('tab', tab);
  if (filters.businessId !== undefined) params.set('business', filters.businessId);
  if (filters.sourceId !== undefined) params.set('source', filters.sourceId);
  if (filters.rating !== undefined) params.set('stars', String(filters.rating));
  if (filters.sentiment !== undefined) params.set('sentiment', filters.sentiment);
  if (filters.topic !== undefined) params.set('topic', filters.topic);
  if (filters.q !== undefined) params.set('q', filters.q);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
