import { findConnector } from '../../connectors/registry.ts';
import type { SourceJson } from '../../services/api/schemas/source.ts';
import { html, type Html } from '../html.ts';

/**
 * A source's health in plain words, from the same data `GET /v1/sources/:id` returns:
 * whether it works, when it last did, what went wrong last, whether it has gone
 * suspiciously quiet, and when it is polled next.
 */

/** "Google", "RSS feed": what owners call the platform; the stored type when its connector is gone. */
export function sourceTypeName(type: string): string {
  return findConnector(type)?.displayName ?? `${type} (no longer supported)`;
}

const STATUS: Record<SourceJson['health']['status'], { words: string; badge: string }> = {
  ok: { words: 'Working', badge: 'ok' },
  failing: { words: 'Failing', badge: 'overdue' },
  needs_attention: { words: 'Needs your attention', badge: 'overdue' },
  paused: { words: 'Paused', badge: 'due' },
};

function statusExplained(source: SourceJson): string {
  const { status, consecutiveFailures } = source.health;
  if (status === 'needs_attention') return 'The platform refused its settings or credentials. Fix them below, then poll now.';
  if (status === 'failing') return `The last ${consecutiveFailures} polls failed; Earshot keeps trying.`;
  if (status === 'paused') return 'Not polled until you resume it.';
  return '';
}

const ERROR_KINDS: Record<string, string> = {
  config: 'The platform refused the settings or credentials',
  rate_limited: 'The platform asked Earshot to slow down; the next poll waits for it',
  transient: 'The platform could not be reached or had a failure of its own',
  bad_payload: 'The platform sent something Earshot could not read',
};

/** Times in the business's own zone, with how long ago or ahead. */
export function when(iso: string | null, timezone: string, now: Date): Html {
  if (iso === null) return html`never`;
  const at = new Date(iso);
  const shown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(at);
  return html`<time datetime="${iso}">${shown}</time> <span class="muted">(${relative(at, now)})</span>`;
}

function relative(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const ahead = seconds > 0;
  const size = Math.abs(seconds);
  const amount =
    size < 60 ? 'less than a minute' : size < 3600 ? plural(Math.round(size / 60), 'minute') : size < 172_800 ? plural(Math.round(size / 3600), 'hour') : plural(Math.round(size / 86_400), 'day');
  return ahead ? `in ${amount}` : `${amount} ago`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Push sources are never polled; paused or refused ones wait for the owner. */
function nextPoll(source: SourceJson, nextPollAt: Date | undefined, timezone: string, now: Date): Html {
  if (source.capabilities.push) return html`never: items are pushed to its webhook`;
  if (source.health.status === 'paused') return html`none while paused`;
  if (source.health.status === 'needs_attention') return html`none until the settings are fixed (or you poll now)`;
  if (nextPollAt === undefined) return html`unknown`;
  if (nextPollAt.getTime() <= now.getTime()) return html`due now`;
  return when(nextPollAt.toISOString(), timezone, now);
}

function statusBadge(source: SourceJson): Html {
  const status = STATUS[source.health.status];
  return html`<span class="badge ${status.badge}">${status.words}</span>${source.health.possiblyBroken ? html` <span class="badge overdue">Possibly broken</span>` : ''}`;
}

const STREAM_STATE: Record<NonNullable<SourceJson['health']['stream']>['state'], string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  down: 'Down: reconnecting (or no worker running); polls still catch everything',
};

/** The live stream beside the polls, for sources a stream serves (Bluesky). */
function streamLine(source: SourceJson, timezone: string, now: Date): Html | '' {
  const { stream } = source.health;
  if (stream === null) return '';
  const lag = stream.lagSeconds === null ? '' : `, ${stream.lagSeconds < 10 ? stream.lagSeconds.toFixed(1) : Math.round(stream.lagSeconds)} s behind the platform`;
  return html`<dt>Live stream</dt><dd>${STREAM_STATE[stream.state]}; last event ${when(stream.lastEventAt, timezone, now)}${lag}</dd>`;
}

export interface HealthView {
  source: SourceJson;
  nextPollAt: Date | undefined;
  timezone: string;
  now: Date;
}

export function healthList({ source, nextPollAt, timezone, now }: HealthView): Html {
  const { health } = source;
  const lastError = health.lastError;
  return html`<dl class="facts">
<dt>Status</dt><dd>${statusBadge(source)} ${statusExplained(source)}</dd>
<dt>Last success</dt><dd>${when(health.lastSuccessAt, timezone, now)}</dd>
<dt>Last poll</dt><dd>${when(health.lastPolledAt, timezone, now)}</dd>
<dt>Last error</dt><dd>${
    lastError === null
      ? 'none'
      : html`${ERROR_KINDS[lastError.kind] ?? 'Something went wrong'}${lastError.at === null ? '' : html`, ${when(lastError.at, timezone, now)}`}: <q class="platform-words">${lastError.message}</q>`
  }</dd>
${health.possiblyBroken ? html`<dt>Possibly broken</dt><dd>Polls succeed, but nothing new has arrived since ${when(health.quietSince, timezone, now)}, far longer than this source usually goes quiet. Check its settings on the platform.</dd>` : ''}
<dt>Items</dt><dd>${health.itemCount}</dd>
<dt>Next poll</dt><dd>${nextPoll(source, nextPollAt, timezone, now)}</dd>
${streamLine(source, timezone, now)}
${health.skippedItems.length > 0 ? html`<dt>Items set aside</dt><dd>${health.skippedItems.length} recent item(s) could not be stored, e.g. ${health.skippedItems[0]?.externalId}: ${health.skippedItems[0]?.reason}</dd>` : ''}
</dl>`;
}
