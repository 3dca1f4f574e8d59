import type { AlertChannelRecord } from '../../db/repositories/alert-channels.ts';
import { escapeHtml, type RenderedEmail } from './alert-email.ts';
import { findChannel } from './channels/registry.ts';

/** The outbox kind of the email telling owners that a channel refused its settings. */
export const CHANNEL_NEEDS_ATTENTION = 'channel_needs_attention';

/**
 * A channel-needs-attention notice names its incident `<channel id>@<when it began>`: one
 * email per recipient each time the channel goes from working to refused, never one per
 * alert it then fails to carry.
 */
export function channelIncident(channelId: string, since: Date): string {
  return `${channelId}@${since.toISOString()}`;
}

export function channelOfIncident(incident: string): string {
  return incident.split('@', 1)[0] ?? '';
}

/** Tells an owner that alerts no longer reach one of their channels until its settings are fixed. */
export function renderChannelNoticeEmail(channel: AlertChannelRecord, publicUrl: string): RenderedEmail {
  const typeName = findChannel(channel.type)?.displayName ?? channel.type;
  const said = channel.health.lastError?.message ?? 'no reason given';
  const link = `${publicUrl}/v1/channels/${channel.id}`;
  const subject = `Earshot cannot send alerts to your ${typeName} channel "${channel.name}": it needs attention`;
  const body = [
    `The receiver refused the settings of the ${typeName} channel "${channel.name}", so alerts meant for it are not arriving.`,
    `What it said: ${said}`,
    'Usually the webhook was removed or revoked, or the URL or address changed. Give the channel its new settings (PATCH /v1/channels/{id}) and send a test; the alerts it refused are retried for some hours and go out once it works.',
  ];
  const fields: Array<[string, string]> = [
    ['Channel', `${channel.name} (${typeName})`],
    ['Channel id', channel.id],
    ['Settings', link],
  ];
  const text = [...body, '', ...fields.map(([label, value]) => `${label}: ${value}`)].join('\n');
  const rows = fields.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  const html = `<!doctype html>
<html><body>
${body.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<table>${rows}</table>
</body></html>`;
  return { subject, text, html };
}
