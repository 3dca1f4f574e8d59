import type { FastifyPluginAsync } from 'fastify';
import { PageError } from '../page-error.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { INBOX_TABS, listInbox, loadInboxScope, type InboxFilters, type InboxSource, type InboxTab } from '../../db/repositories/inbox-queries.ts';
import { sourceName } from '../../services/alerts/alert-email.ts';
import { COMPLAINT_TOPICS, TOPIC_WORDS } from '../../services/analysis/sentiment/topics.ts';
import { SENTIMENT_LABELS } from '../../services/api/schemas/item.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { html, type Html } from '../html.ts';
import { layout, sendHtml } from '../layout.ts';
import { inboxRows, rowContext } from './inbox-rows.ts';
import { inboxQuery, positionParam, readInboxRequest, TAB_LABELS, type InboxRequest } from './inbox-view.ts';
import { inboxEventRoutes, liveRowsLag } from './inbox-events.ts';
import { itemRoutes } from './item.ts';

const PAGE_SIZE = 50;

const EMPTY: Record<InboxTab, string> = {
  needs: 'Nothing needs a reply. New flagged reviews appear here by themselves.',
  mine: 'Nothing is assigned to you.',
  waiting: 'Nothing is waiting.',
  done: 'Nothing is resolved yet.',
  all: 'No items yet.',
};


function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

function tabs(current: InboxTab, filters: InboxFilters): Html {
  return html`<nav aria-label="Inbox views"><ul class="tabs">${INBOX_TABS.map(
    (tab) => html`<li><a href="/${inboxQuery(tab, filters)}"${tab === current ? html` aria-current="page"` : ''}>${TAB_LABELS[tab]}</a></li>`,
  )}</ul></nav>`;
}

function filterForm(view: InboxRequest, businesses: readonly BusinessRecord[], sources: readonly InboxSource[]): Html {
  const { filters } = view;
  const businessNames = new Map(businesses.map((business) => [business.id, business.name]));
  return html`<form method="get" action="/" class="inbox-filters" role="search" aria-label="Filter the inbox">
${view.tab === 'needs' ? '' : html`<input type="hidden" name="tab" value="${view.tab}">`}
${businesses.length > 1
  ? html`<div><label for="filter-business">Business</label><select id="filter-business" name="business">${option('', 'All businesses', filters.businessId ?? '')}${businesses.map((business) => option(business.id, business.name, filters.businessId))}</select></div>`
  : ''}
<div><label for="filter-source">Source</label><select id="filter-source" name="source">${option('', 'All sources', filters.sourceId ?? '')}${sources.map((source) =>
    option(source.id, businesses.length > 1 ? `${sourceName(source.type)} · ${businessNames.get(source.businessId) ?? ''}` : sourceName(source.type), filters.sourceId),
  )}</select></div>
<div><label for="filter-stars">Stars</label><select id="filter-stars" name="stars">${option('', 'Any', filters.rating === undefined ? '' : undefined)}${[1, 2, 3, 4, 5].map((stars) =>
    option(String(stars), `${stars} star${stars === 1 ? '' : 's'}`, filters.rating === undefined ? undefined : String(filters.rating)),
  )}</select></div>
<div><label for="filter-sentiment">Sentiment</label><select id="filter-sentiment" name="sentiment">${option('', 'Any', filters.sentiment ?? '')}${SENTIMENT_LABELS.map((label) =>
    option(label, label[0]!.toUpperCase() + label.slice(1), filters.sentiment),
  )}</select></div>
<div><label for="filter-topic">Topic</label><select id="filter-topic" name="topic">${option('', 'Any', filters.topic ?? '')}${COMPLAINT_TOPICS.map((topic) =>
    option(topic, capitalised(TOPIC_WORDS[topic]), filters.topic),
  )}</select></div>
<div class="grow"><label for="filter-q">Text</label><input id="filter-q" name="q" type="search" maxlength="200" value="${filters.q ?? ''}"></div>
<div class="filter-buttons"><button type="submit">Filter</button> <a href="/${inboxQuery(view.tab, {})}">Clear</a></div>
</form>`;
}

const SHORTCUTS = html`<dialog id="shortcuts" aria-labelledby="shortcuts-title">
<h2 id="shortcuts-title">Keyboard shortcuts</h2>
<dl class="shortcut-list">
<dt><kbd>j</kbd></dt><dd>Next item</dd>
<dt><kbd>k</kbd></dt><dd>Previous item</dd>
<dt><kbd>Enter</kbd></dt><dd>Open the selected item</dd>
<dt><kbd>?</kbd></dt><dd>Show this list</dd>
</dl>
<form method="dialog"><button type="submit">Close</button></form>
</dialog>`;

/** The inbox: the default page for every role (consultants read it; it has no actions of its own). */
export function inboxRoutes(deps: ApiDeps): FastifyPluginAsync {
  // One per app: each clock turns a business's opening hours into instants once.
  const clocks = new OpeningClocks();
  return async (app) => {
    await app.register(inboxEventRoutes(deps));
    // The item pages the inbox opens: one plugin for the whole inbox workflow.
    await app.register(itemRoutes(deps));
    app.get('/', { config: { page: { roles: ['owner', 'staff', 'consultant'] } }, schema: { hide: true } }, async (request, reply) => {
      const person = request.person!;
      const view = readInboxRequest(request.query);
      // Two round trips side by side: the businesses, sources and clock in one, the rows in the other.
      const [{ businesses, sources, now }, page] = await Promise.all([
        loadInboxScope(deps.db, person),
        listInbox(deps.db, person, { tab: view.tab, userId: person.userId, filters: view.filters }, { limit: PAGE_SIZE, after: view.after }),
      ]);
      // A filter naming a business or source out of reach is answered like an unknown id, as the API does.
      const { businessId, sourceId } = view.filters;
      if (businessId !== undefined && !businesses.some((business) => business.id === businessId)) throw PageError.notFound();
      if (sourceId !== undefined && !sources.some((source) => source.id === sourceId)) throw PageError.notFound();
      const context = rowContext(sources, businesses, clocks, now);
      // Live rows only on a first page: later pages are history.
      const liveSince = now.getTime() - liveRowsLag;
      const known = page.rows.filter((row) => row.firstSeenAt.getTime() > liveSince).map((row) => row.id);
      const events =
        view.after === undefined
          ? `/inbox/events${inboxQuery(view.tab, view.filters, { since: now.toISOString(), ...(known.length > 0 && { known: known.join(',') }) })}`
          : undefined;
      const body = html`<h1>Inbox</h1>
${tabs(view.tab, view.filters)}
${filterForm(view, businesses, sources)}
<p id="inbox-live" class="visually-hidden" role="status" aria-live="polite"></p>
<h2 class="visually-hidden">${TAB_LABELS[view.tab]}</h2>
<ol id="inbox-rows" class="inbox-rows"${events === undefined ? '' : html` data-events="${events}"`}>${inboxRows(page.rows, context)}</ol>
${page.rows.length === 0 ? html`<p class="inbox-empty muted">${view.after === undefined ? EMPTY[view.tab] : 'No more items.'}</p>` : ''}
<nav aria-label="More items" class="pager">${
        page.next === null ? '' : html`<a class="button secondary" href="/${inboxQuery(view.tab, view.filters, { after: positionParam(page.next) })}">${view.tab === 'needs' ? 'More' : 'Older'}</a>`
      }${view.after === undefined ? '' : html` <a href="/${inboxQuery(view.tab, view.filters)}">Back to the first page</a>`}</nav>
<p class="muted shortcuts-hint">Keyboard: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>?</kbd> lists the shortcuts.</p>
${SHORTCUTS}`;
      return sendHtml(
        reply,
        layout({
          title: `Inbox: ${TAB_LABELS[view.tab]}`,
          person,
          csrf: person.csrfToken,
          section: 'inbox',
          notice: view.problem === undefined ? undefined : { kind: 'problem', text: view.problem },
          scripts: ['inbox.js'],
          body,
        }),
        view.problem === undefined ? 200 : 400,
      );
    });
  };
}
