import type { ReplyLimits } from '../../connectors/reply-contract.ts';
import type { ReplyRecord } from '../../db/repositories/item-replies.ts';
import type { ItemDetailRecord } from '../../db/repositories/item-queries.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';
import { dateTimeWords } from './inbox-words.ts';
import type { ReplyPanelData } from './reply-panel-data.ts';

/**
 * The item page's replies section: the replies written in Earshot with where each
 * stands, and the way to answer: the reply box when Earshot can publish on the
 * platform, else the manual way (open the platform with the text copied, then "I
 * replied there"). Works without JavaScript; web/assets/replies.js adds the countdown,
 * filling in a chosen template, the length counter and copying.
 */

/** What the person typed into the reply box, and the template they asked for, to show it again. */
export interface ReplyDraft {
  text?: string;
  replaces?: string;
  templateId?: string;
}

export interface ReplyPanelView {
  item: ItemDetailRecord;
  panel: ReplyPanelData;
  platform: string;
  timeZone: string;
  person: Person;
  draft: ReplyDraft;
  now: Date;
}

const WAITING: ReadonlySet<string> = new Set(['scheduled', 'sending']);

function webLink(url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url) ? url : null;
}

function secondsLeft(reply: ReplyRecord, now: Date): number {
  return Math.max(0, Math.ceil((reply.sendAt.getTime() - now.getTime()) / 1000));
}

/** Where one reply stands, in words, with Undo while it can still be taken back. */
function replyState(view: ReplyPanelView, reply: ReplyRecord): Html {
  const { platform, item, timeZone } = view;
  switch (reply.status) {
    case 'scheduled':
      return html`<p class="reply-state"><strong>Sending in <span data-send-at="${reply.sendAt.toISOString()}">${secondsLeft(reply, view.now)} s</span></strong></p>
${
  view.person.role === 'consultant'
    ? ''
    : html`<form method="post" action="/items/${item.id}/replies/${reply.id}/cancel">${csrfField(view.person.csrfToken)}<button type="submit" class="secondary">Undo</button></form>`
}`;
    case 'sending':
      return html`<p class="reply-state"><strong>Sending to ${platform}…</strong></p>`;
    case 'published': {
      const link = webLink(reply.platformReplyUrl);
      return html`<p class="reply-state ok"><strong>Published on ${platform}</strong>${
        reply.publishedAt === null ? '' : html` <time class="when" datetime="${reply.publishedAt.toISOString()}">${dateTimeWords(reply.publishedAt, timeZone)}</time>`
      }${link === null ? '' : html` · <a href="${link}" target="_blank" rel="noopener noreferrer">See it on ${platform}</a>`}</p>`;
    }
    case 'pending_moderation':
      return html`<p class="reply-state"><strong>Sent; waiting for ${platform}'s moderation</strong> <span class="muted">(${platform} shows it once approved)</span></p>`;
    case 'rejected':
      return html`<p class="reply-state problem"><strong>Rejected by ${platform}</strong>${reply.reason === null ? '' : html`: ${reply.reason}`}</p>`;
    case 'failed':
      return html`<p class="reply-state problem"><strong>Not sent</strong>${reply.reason === null ? '' : html`: ${reply.reason}`}</p>`;
    case 'stopped':
      return html`<p class="reply-state problem"><strong>Stopped, nothing was sent</strong>${reply.reason === null ? '' : html`: ${reply.reason}`}</p>${
        item.ownerReply === null ? '' : html`<p>The reply already on ${platform}: <q class="item-text">${item.ownerReply.text}</q></p>`
      }`;
    case 'cancelled':
      return html`<p class="reply-state muted"><strong>Undone</strong>: not sent</p>`;
  }
}

function replyList(view: ReplyPanelView): Html | '' {
  const { replies } = view.panel;
  if (replies.length === 0) return '';
  return html`<ol class="timeline replies">${replies.map(
    (reply) => html`<li class="reply" id="reply-${reply.id}" data-reply-status="${reply.status}">
<p><strong>${reply.author}</strong> · <time class="when" datetime="${reply.createdAt.toISOString()}">${dateTimeWords(reply.createdAt, view.timeZone)}</time></p>
<p class="item-text">${reply.text}</p>
${replyState(view, reply)}
</li>`,
  )}</ol>`;
}

const UNIT_WORDS = { bytes: 'bytes (an accented letter or an emoji counts as 2–4)', characters: 'characters', graphemes: 'characters' } as const;

function limitHint(platform: string, limits: ReplyLimits | null): Html {
  if (limits === null) return html`<p class="hint muted" id="reply-limit">${platform}'s length limit is checked when you send.</p>`;
  return html`<p class="hint muted" id="reply-limit" data-max="${limits.maxLength}" data-unit="${limits.unit}">Up to ${limits.maxLength} ${UNIT_WORDS[limits.unit]} on ${platform}. <span data-reply-count aria-live="polite"></span></p>`;
}

/** The template select, in its own GET form so it works without JavaScript (the page comes back filled in). */
function templatePicker(view: ReplyPanelView, chosen: string | null, target: string): Html | '' {
  const { templates } = view.panel;
  if (templates.length === 0) return '';
  return html`<form method="get" action="/items/${view.item.id}#replies" class="template-picker">
<label for="reply-template">Template</label>
<select id="reply-template" name="template" data-fills="${target}">
<option value="" data-text="">None</option>
${templates.map((template) => html`<option value="${template.id}" data-text="${template.text}"${chosen === template.id ? html` selected` : ''}>${template.name}</option>`)}
</select>
<button type="submit" class="secondary" data-without-script>Use template</button>
</form>`;
}

/** What the box starts with: what was typed, a chosen template, an undone reply's text, the reply to change, or the default template. */
function startingText(view: ReplyPanelView, current: ReplyRecord | undefined): { text: string; templateId: string | null } {
  const { draft, panel } = view;
  if (draft.text !== undefined) return { text: draft.text, templateId: draft.templateId ?? null };
  const asked = panel.templates.find((template) => template.id === draft.templateId);
  if (asked !== undefined) return { text: asked.text, templateId: asked.id };
  const newest = panel.replies.at(-1);
  if (newest?.status === 'cancelled' || newest?.status === 'failed' || newest?.status === 'rejected') return { text: newest.text, templateId: null };
  if (current !== undefined) return { text: current.text, templateId: null };
  const preset = panel.templates.find((template) => template.id === panel.defaultTemplateId);
  return { text: preset?.text ?? '', templateId: preset?.id ?? null };
}

/** The item's current Earshot reply: the newest the platform accepted. */
function currentReply(replies: readonly ReplyRecord[]): ReplyRecord | undefined {
  return replies.findLast((reply) => reply.status === 'published' || reply.status === 'pending_moderation');
}

function replyBox(view: ReplyPanelView): Html {
  const { item, panel, platform, person } = view;
  if (panel.replies.some((reply) => WAITING.has(reply.status))) return html`<p class="muted">A reply is on its way; write another once it is sent.</p>`;
  const current = currentReply(panel.replies);
  if (current !== undefined && !panel.canUpdate) return html`<p class="muted">${platform} does not let a reply be changed once published.</p>`;
  const start = startingText(view, current);
  // The reply the person saw: sent along, so a colleague's newer reply stops this one instead of being overwritten.
  const replaces = view.draft.replaces ?? current?.id ?? '';
  return html`${templatePicker(view, start.templateId, 'reply-text')}
<form method="post" action="/items/${item.id}/replies" class="reply-box" aria-label="Reply on ${platform}">
${csrfField(person.csrfToken)}
<input type="hidden" name="replaces" value="${replaces}">
<label for="reply-text">${current === undefined ? `Your reply, published on ${platform} under the business's name` : `Change the reply on ${platform}`}</label>
<textarea id="reply-text" name="text" rows="6" required aria-describedby="reply-limit"${panel.limits === null ? '' : html` data-limit`}>${start.text}</textarea>
${limitHint(platform, panel.limits)}
<button type="submit">Send</button>
<p class="hint muted">You can undo for a few seconds after sending.</p>
</form>`;
}

/** The manual way: open the platform with the text copied, then record the reply with its real time. */
function manualWay(view: ReplyPanelView): Html {
  const { item, platform, person, timeZone } = view;
  const link = webLink(item.url);
  const start = startingText(view, undefined);
  return html`${templatePicker(view, start.templateId, 'reply-draft')}
<div class="field">
<label for="reply-draft">Draft (copy it into ${platform})</label>
<textarea id="reply-draft" rows="6" aria-describedby="reply-draft-hint">${start.text}</textarea>
<p class="hint muted" id="reply-draft-hint">Select the text and copy it, or use the button.</p>
</div>
<p class="manual-actions"><button type="button" class="secondary" data-copy="reply-draft" hidden>Copy the text</button>
${link === null ? html`<span class="muted">${platform} gave no link to this ${item.kind}.</span>` : html`<a class="button" href="${link}" target="_blank" rel="noopener noreferrer">Reply on ${platform}</a>`}</p>
<form method="post" action="/items/${item.id}/respond" aria-label="I replied there">
${csrfField(person.csrfToken)}
<input type="hidden" name="note" value="Replied on ${platform}">
<label for="replied-at">When you replied (optional, ${timeZone} time; empty: now)</label>
<input id="replied-at" name="at" type="datetime-local">
<button type="submit">I replied there</button>
</form>`;
}

function notSetUp(view: ReplyPanelView, setUp: string): Html {
  return html`<p class="notice problem">Replies to ${view.platform} are not set up for this source: ${setUp}${
    view.person.role === 'owner' ? html` <a href="/sources/${view.panel.sourceId}">Add them in the source's settings</a>.` : ' Ask an owner to add them.'
  }</p>`;
}

export function replyPanel(view: ReplyPanelView): Html {
  const { support, replies } = view.panel;
  const mayReply = view.person.role !== 'consultant';
  if (!mayReply && replies.length === 0) return html``;
  const waiting = replies.some((reply) => WAITING.has(reply.status));
  let way: Html | '' = '';
  if (mayReply) {
    if (support.kind === 'api') way = replyBox(view);
    else if (support.kind === 'not_set_up') way = html`${notSetUp(view, support.setUp)}${manualWay(view)}`;
    else way = manualWay(view);
  }
  return html`<section aria-labelledby="replies-title" class="card" id="replies"${waiting ? html` data-reply-waiting` : ''}>
<h2 id="replies-title">Reply</h2>
${replyList(view)}
${way}
</section>`;
}
