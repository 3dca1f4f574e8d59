import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import type { ItemDetailRecord, ItemEventRecord } from '../../db/repositories/item-queries.ts';
import type { ReReviewRequestRecord } from '../../db/repositories/re-reviews.ts';
import type { UserRecord } from '../../db/repositories/users.ts';
import type { ReReviewChannel } from '../../db/schema.ts';
import { sourceName } from '../../services/alerts/alert-email.ts';
import type { SlaStatus } from '../../services/inbox/sla-status.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';
import { slaBadge, starsBadge } from './inbox-rows.ts';
import { dateTimeWords } from './inbox-words.ts';
import type { ReplyPanelData } from './reply-panel-data.ts';
import { replyPanel, type ReplyDraft } from './reply-panel.ts';

export const RE_REVIEW_CHANNELS: ReadonlyArray<{ value: ReReviewChannel; label: string }> = [
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'in_person', label: 'In person' },
  { value: 'platform_reply', label: 'Reply on the platform' },
  { value: 'other', label: 'Other' },
];

/** The forms on the item page; each posts to /items/:id/<action>. */
export type ItemActionName = 'respond' | 'resolve' | 'reopen' | 'assign' | 'note' | 're-review';

/** Everything the item page shows. */
export interface ItemPageData {
  item: ItemDetailRecord;
  business: BusinessRecord;
  sourceType: string | null;
  reReviews: ReReviewRequestRecord[];
  /** People the item may be given to (owners and staff who see its business). */
  assignable: UserRecord[];
  sla: SlaStatus | undefined;
  /** Replies written in Earshot and the way to answer; undefined when the item's source is gone. */
  replies: ReplyPanelData | undefined;
}

/** What was typed into a form that came back refused, so nothing is lost. */
export interface TypedForm {
  action: ItemActionName;
  fields: Record<string, string>;
}

const STATUS_WORDS: Record<string, string> = { new: 'Not yet answered', responded: 'Answered', resolved: 'Resolved' };
const CHANNEL_WORDS = new Map(RE_REVIEW_CHANNELS.map((channel) => [channel.value as string, channel.label]));
const RE_REVIEW_STATUS: Record<string, string> = {
  pending: 'Waiting for the customer',
  revised: 'The review was revised',
  removed: 'The review was removed',
  expired: 'No change before the request expired',
};

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function starChange(before: unknown, after: unknown): string {
  return typeof before === 'number' && typeof after === 'number' ? ` (${before} → ${after} stars)` : '';
}

/** One timeline entry in words: what happened, with its note or reason. */
function eventWords(event: ItemEventRecord): Html {
  const data = event.data;
  const note = text(data.note);
  const withNote = (words: string) => html`${words}${note === '' ? '' : html`: <q>${note}</q>`}`;
  switch (event.type) {
    case 'detected':
      return html`Earshot found it`;
    case 'flagged':
      return html`Flagged for a reply${typeof data.label === 'string' ? ` (${data.label})` : ''}`;
    case 'alerted':
      return html`Alert sent to ${text(data.to)}`;
    case 'alert_waiting':
      return html`Alert to ${text(data.to)} waiting: ${text(data.reason)}`;
    case 'platform_reply_seen':
      return html`Reply seen on the platform${text(data.text) === '' ? '' : html`: <q>${text(data.text)}</q>`}`;
    case 'revised':
      return html`The review was edited${starChange(data.ratingBefore, data.ratingAfter)}`;
    case 'removed':
      return html`Removed from the platform`;
    case 'responded':
      return withNote('Marked responded');
    case 'resolved':
      return withNote('Resolved');
    case 'reopened':
      return html`Reopened: <q>${text(data.reason)}</q>`;
    case 'assigned':
      return html`Assigned to ${text(data.to)}`;
    case 'unassigned':
      return html`Unassigned`;
    case 'note':
      return html`Note: <q>${note}</q>`;
    case 're_review_requested':
      return withNote(`Asked for a re-review by ${CHANNEL_WORDS.get(text(data.channel))?.toLowerCase() ?? text(data.channel)}`);
    case 're_review_outcome':
      return html`Re-review outcome: ${RE_REVIEW_STATUS[text(data.outcome)]?.toLowerCase() ?? text(data.outcome)}${starChange(data.ratingBefore, data.ratingAfter)}`;
    default:
      return html`${event.type.replaceAll('_', ' ')}`;
  }
}

function timeline(events: readonly ItemEventRecord[], timeZone: string): Html {
  return html`<ol class="timeline">${events.map(
    (event) => html`<li><strong>${event.actor}</strong> · ${eventWords(event)}<br><time class="when" datetime="${event.at.toISOString()}">${dateTimeWords(event.at, timeZone)}</time>${
      typeof event.data.recordedAt === 'string' ? html` <span class="when">(recorded ${dateTimeWords(new Date(event.data.recordedAt), timeZone)})</span>` : ''
    }</li>`,
  )}</ol>`;
}

function reReviewList(requests: readonly ReReviewRequestRecord[], timeZone: string): Html {
  if (requests.length === 0) return html``;
  return html`<section aria-labelledby="re-reviews-title" class="card">
<h2 id="re-reviews-title">Re-review requests</h2>
<ul class="timeline">${requests.map(
    (request) => html`<li><strong>${RE_REVIEW_STATUS[request.status] ?? request.status}</strong>${starChange(request.ratingBefore, request.ratingAfter)}<br>
Asked by ${request.requestedBy} by ${CHANNEL_WORDS.get(request.channel)?.toLowerCase() ?? request.channel}, <time class="when" datetime="${request.requestedAt.toISOString()}">${dateTimeWords(request.requestedAt, timeZone)}</time>${
      request.closedAt === null ? '' : html`; closed <time class="when" datetime="${request.closedAt.toISOString()}">${dateTimeWords(request.closedAt, timeZone)}</time>`
    }${request.note === null ? '' : html`<br><q>${request.note}</q>`}</li>`,
  )}</ul>
</section>`;
}

/** A form of the action panel; `typed` refills it when it came back refused. */
function actionForm(itemId: string, csrf: string, action: ItemActionName, title: string, button: string, fields: Html, extraClass = ''): Html {
  return html`<form method="post" action="/items/${itemId}/${action}" class="card ${extraClass}" aria-label="${title}">
<h3>${title}</h3>
${csrfField(csrf)}
${fields}
<button type="submit">${button}</button>
</form>`;
}

function typedValue(typed: TypedForm | undefined, action: ItemActionName, name: string): string {
  return typed?.action === action ? (typed.fields[name] ?? '') : '';
}

function actions(data: ItemPageData, person: Person, typed: TypedForm | undefined): Html {
  const { item, business } = data;
  const id = item.id;
  const csrf = person.csrfToken;
  const value = (action: ItemActionName, name: string) => typedValue(typed, action, name);
  const pendingReReview = data.reReviews.some((request) => request.status === 'pending');
  const chosenAssignee = typed?.action === 'assign' ? (typed.fields.to ?? '') : (item.assigneeUserId ?? '');
  const forms: Html[] = [
    actionForm(
      id,
      csrf,
      'respond',
      'Mark responded',
      'Mark responded',
      html`<label for="respond-at">When it really happened (optional, ${business.name}'s time: ${business.timezone})</label>
<input id="respond-at" name="at" type="datetime-local" value="${value('respond', 'at')}">
<label for="respond-note">Note (optional)</label>
<textarea id="respond-note" name="note" maxlength="5000">${value('respond', 'note')}</textarea>`,
    ),
    item.status === 'resolved'
      ? actionForm(
          id,
          csrf,
          'reopen',
          'Reopen',
          'Reopen',
          html`<label for="reopen-reason">Why the fix did not hold</label>
<textarea id="reopen-reason" name="reason" required maxlength="5000">${value('reopen', 'reason')}</textarea>`,
        )
      : actionForm(
          id,
          csrf,
          'resolve',
          'Resolve',
          'Resolve',
          html`<label for="resolve-note">What fixed it (optional)</label>
<textarea id="resolve-note" name="note" maxlength="5000">${value('resolve', 'note')}</textarea>`,
        ),
    actionForm(
      id,
      csrf,
      'assign',
      'Assign',
      'Assign',
      html`<label for="assign-to">Give it to</label>
<select id="assign-to" name="to">
<option value=""${chosenAssignee === '' ? html` selected` : ''}>Nobody (unassign)</option>
${data.assignable.map((user) => html`<option value="${user.id}"${chosenAssignee === user.id ? html` selected` : ''}>${user.displayName ?? user.email}${user.id === person.userId ? ' (me)' : ''}</option>`)}
</select>`,
    ),
    actionForm(
      id,
      csrf,
      'note',
      'Add a note',
      'Add note',
      html`<label for="note-text">Note</label>
<textarea id="note-text" name="text" required maxlength="5000">${value('note', 'text')}</textarea>`,
    ),
  ];
  if (item.status === 'resolved' && !pendingReReview) {
    const channel = value('re-review', 'channel');
    forms.push(
      actionForm(
        id,
        csrf,
        're-review',
        'Request a re-review',
        'Request a re-review',
        html`<p class="muted">Ask the customer to update their review now that it is fixed. Never offer anything in return.</p>
<label for="re-review-channel">How you asked</label>
<select id="re-review-channel" name="channel">${RE_REVIEW_CHANNELS.map((option) => html`<option value="${option.value}"${channel === option.value ? html` selected` : ''}>${option.label}</option>`)}</select>
<label for="re-review-note">Note (optional)</label>
<textarea id="re-review-note" name="note" maxlength="5000">${value('re-review', 'note')}</textarea>`,
      ),
    );
  }
  return html`<section aria-labelledby="actions-title">
<h2 id="actions-title">Actions</h2>
<div class="item-actions">${forms}</div>
</section>`;
}

/** A link to the item on its platform; only web addresses become links (never `javascript:` from a platform). */
function originalLink(url: string | null, sourceType: string | null): Html | string {
  if (url === null) return 'No link given by the platform';
  if (!/^https?:\/\//i.test(url)) return url;
  return html`<a href="${url}" rel="noopener noreferrer" target="_blank">Open on ${sourceType === null ? 'the platform' : sourceName(sourceType)}</a>`;
}

function heading(data: ItemPageData): string {
  const { item } = data;
  if (item.title !== null && item.title.trim() !== '') return item.title;
  const platform = data.sourceType === null ? '' : `${sourceName(data.sourceType)} `;
  const stars = item.rating === null ? '' : `${item.rating}-star `;
  return `${stars}${platform}${item.kind} by ${item.author ?? 'an anonymous author'}`;
}

/** The item page's content: the item, what to do with it (owners and staff), its timeline. */
export function itemPageBody(data: ItemPageData, person: Person, typed: TypedForm | undefined, draft: ReplyDraft = {}): { title: string; body: Html } {
  const { item, business } = data;
  const zone = business.timezone;
  const title = heading(data);
  const body = html`<p><a href="/">← Inbox</a></p>
<h1>${title}</h1>
<article class="card" aria-labelledby="item-text-title">
<h2 id="item-text-title" class="visually-hidden">The ${item.kind}</h2>
<p class="row-head">${starsBadge(item.rating)}<span>${STATUS_WORDS[item.status] ?? item.status}</span>${slaBadge(data.sla, business)}</p>
<p class="item-text">${item.body === '' ? html`<span class="muted">(no text)</span>` : item.body}</p>
<dl class="item-facts">
<dt>Business</dt><dd>${business.name}</dd>
<dt>Source</dt><dd>${data.sourceType === null ? 'Unknown' : sourceName(data.sourceType)}</dd>
<dt>Author</dt><dd>${item.author ?? 'Anonymous'}</dd>
<dt>Published</dt><dd>${item.publishedAt === null ? 'Not dated by the platform' : html`<time datetime="${item.publishedAt.toISOString()}">${dateTimeWords(item.publishedAt, zone)}</time>`}</dd>
<dt>First seen</dt><dd><time datetime="${item.firstSeenAt.toISOString()}">${dateTimeWords(item.firstSeenAt, zone)}</time></dd>
${item.firstResponseAt === null ? '' : html`<dt>First answered</dt><dd><time datetime="${item.firstResponseAt.toISOString()}">${dateTimeWords(item.firstResponseAt, zone)}</time>${item.firstResponseSource === 'platform' ? ' (on the platform)' : item.firstResponseSource === 'reply' ? ' (reply sent from Earshot)' : ''}</dd>`}
<dt>Sentiment</dt><dd>${item.sentiment === null ? 'Not analysed yet' : `${item.sentiment.label} (${item.sentiment.score.toFixed(2)})`}</dd>
<dt>Topics</dt><dd>${item.topics.length === 0 ? 'None' : item.topics.map((topic) => topic.replaceAll('_', ' ')).join(', ')}</dd>
<dt>Assigned to</dt><dd>${item.assignee?.name ?? 'Nobody'}</dd>
<dt>Original</dt><dd>${originalLink(item.url, data.sourceType)}</dd>
${item.ownerReply === null ? '' : html`<dt>Reply on the platform</dt><dd class="item-text">${item.ownerReply.text}</dd>`}
</dl>
</article>
${data.replies === undefined ? '' : replyPanel({ item, panel: data.replies, platform: data.sourceType === null ? 'the platform' : sourceName(data.sourceType), timeZone: zone, person, draft, now: new Date() })}
${person.role === 'consultant' ? html`<p class="muted">You can read this item; owners and staff act on it.</p>` : actions(data, person, typed)}
${reReviewList(data.reReviews, zone)}
<section aria-labelledby="timeline-title" class="card">
<h2 id="timeline-title">Timeline</h2>
${timeline(item.events, zone)}
<p class="muted">Times are ${business.name}'s (${zone}).</p>
</section>`;
  return { title, body };
}
