import { findConnector } from '../../connectors/registry.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { SourceJson } from '../../services/api/schemas/source.ts';
import type { SourceStore } from '../../services/sources/source-changes.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';
import { sourceTypeName } from './source-health.ts';

/** Owners only: what Earshot watches is theirs to change. */
export const OWNER_PAGE = { page: { roles: ['owner'] as const } } as const;
export const OWNER_SOURCE_PAGE = { page: { roles: ['owner'] as const, target: 'source' as const } } as const;

export function sourceStoreOf(deps: ApiDeps): SourceStore {
  return { db: deps.db, credentialsKey: deps.credentialsKey, allowPrivateUrls: deps.config.allowPrivateUrls };
}

/** The confirmations the source pages show after a form, by `?done=`. */
export const SOURCE_NOTICES: Record<string, { kind: 'ok' | 'problem'; text: string }> = {
  created: { kind: 'ok', text: 'Source added. Its first poll happens within a minute.' },
  saved: { kind: 'ok', text: 'Source saved.' },
  paused: { kind: 'ok', text: 'Source paused: it is not polled until you resume it.' },
  resumed: { kind: 'ok', text: 'Source resumed: it is polled again from now on.' },
  polled: { kind: 'ok', text: 'Poll queued: new items appear within a minute.' },
  pushed: { kind: 'problem', text: 'A webhook source is not polled: its sender pushes items to its webhook URL.' },
  deleted: { kind: 'ok', text: 'Source deleted with everything recorded under it.' },
};

export function noticeFor(done: string | undefined): { kind: 'ok' | 'problem'; text: string } | undefined {
  return done === undefined ? undefined : SOURCE_NOTICES[done];
}

/** "RSS feed · https://example.com/feed": the platform, and its first required setting, which tells two sources apart. */
export function sourceTitle(source: Pick<SourceJson, 'type' | 'config'>): string {
  const schema = findConnector(source.type)?.configSchema ?? {};
  const names = [...Object.keys(schema).filter((name) => schema[name]?.required), ...Object.keys(source.config)];
  const shown = names.map((name) => source.config[name]).find((value) => (typeof value === 'string' && value !== '') || (Array.isArray(value) && value.length > 0));
  const detail = Array.isArray(shown) ? shown.join(', ') : shown;
  return detail === undefined ? sourceTypeName(source.type) : `${sourceTypeName(source.type)} · ${String(detail)}`;
}

/** Where an action's form returns to: the list, or the source's own page. */
export function backTo(value: string, sourceId: string): string {
  return value === `/sources/${sourceId}` ? value : '/sources';
}

function webhookHint(source: SourceJson): string {
  if (source.type === 'trustpilot') {
    return "Optional, for alerts within seconds: give Trustpilot this URL for its review webhooks, with {webhookSecret} replaced by the source's webhook secret (docs/sources/trustpilot-webhooks.md).";
  }
  return "The sender POSTs each item here, signed with the source's secret (docs/sources.md).";
}

export function webhookUrlField(source: SourceJson): Html {
  if (source.webhookUrl === null) return html``;
  const id = `webhook-${source.id}`;
  return html`<div class="field">
<label for="${id}">Webhook URL</label>
<input type="url" id="${id}" value="${source.webhookUrl}" readonly aria-describedby="${id}-hint">
<p class="hint muted" id="${id}-hint">${webhookHint(source)}</p>
</div>`;
}

/** Pause or resume, poll now, and (on the list) edit: one small form per button, each with its token. */
export function sourceActions(source: SourceJson, csrf: string, back: string, options: { edit: boolean }): Html {
  const paused = source.health.status === 'paused';
  const action = (path: string, label: string, className = 'secondary') =>
    html`<form method="post" action="/sources/${source.id}/${path}">${csrfField(csrf)}<input type="hidden" name="back" value="${back}"><button type="submit" class="${className}">${label}</button></form>`;
  return html`<div class="row-actions">
${paused ? action('resume', 'Resume') : action('pause', 'Pause')}
${source.capabilities.push ? '' : action('poll', 'Poll now')}
${options.edit ? html`<a class="button secondary" href="/sources/${source.id}">Edit</a>` : ''}
</div>`;
}
