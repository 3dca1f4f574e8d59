import type { ChannelView } from '../../services/alerts/channel-changes.ts';
import type { MaskedSecret } from '../../services/alerts/channel-settings.ts';
import type { Channel, FieldSpec } from '../../services/alerts/channels/contract.ts';
import { settingLabel, settingName, type SettingsPart, type SettingsText } from '../config-form.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import type { QuietHours } from '../../services/alerts/quiet-hours.ts';
import { quietHoursFields, quietHoursText, readQuietHoursForm, type QuietHoursText } from './quiet-hours-fields.ts';

/**
 * A channel's settings form, generated from its config and credentials schemas. Secret
 * fields (a Slack URL is one) are password inputs never filled in; on edit the form says
 * a secret is saved, shows the masked hint the API gives, and an empty field keeps it.
 */

export type ChannelSchemas = Pick<Channel, 'configSchema' | 'credentialsSchema'>;

/** What the form shows: the typed text (never secrets) and, on edit, the secrets already saved. */
export interface ChannelFormState {
  name: string;
  values: SettingsText;
  saved: { config: Record<string, MaskedSecret>; credentials: Record<string, MaskedSecret> } | null;
  quietHours: QuietHoursText;
  problemField: string | undefined;
}

const QUIET_HOURS_HINT =
  'Instant alerts through this channel wait until the quiet hours end, unless the item is urgent (1★, or matched by a rule marked urgent). The times are in the time zone of the business each alert is about. Leave both empty for none.';

function savedSecret(state: ChannelFormState, part: SettingsPart, name: string): MaskedSecret | undefined {
  return state.saved?.[part][name];
}

function control(part: SettingsPart, name: string, spec: FieldSpec, state: ChannelFormState): Html {
  const id = `${part}-${name}`;
  const fieldName = settingName(part, name);
  const required = spec.required && savedSecret(state, part, name) === undefined;
  const invalid = state.problemField === fieldName ? html` aria-invalid="true"` : '';
  const common = html`id="${id}" name="${fieldName}" aria-describedby="${id}-hint"${required ? html` required` : ''}${invalid}`;
  // Never echo a secret, not even one just typed into a refused form.
  if (spec.secret) return html`<input type="password" ${common} autocomplete="new-password" spellcheck="false">`;
  const value = state.values[fieldName] ?? '';
  if (spec.type === 'string[]') return html`<textarea ${common} rows="3" spellcheck="false">${value}</textarea>`;
  if (spec.type === 'url') return html`<input type="url" ${common} value="${value}" inputmode="url" spellcheck="false">`;
  return html`<input type="text" ${common} value="${value}" spellcheck="false">`;
}

function hint(spec: FieldSpec, saved: MaskedSecret | undefined): string {
  const parts = [/[.!?)]$/.test(spec.description) ? spec.description : `${spec.description}.`];
  if (spec.type === 'string[]') parts.push('One per line.');
  if (saved !== undefined) parts.push(saved.hint === null ? 'Saved; leave empty to keep it.' : `Saved (${saved.hint}); leave empty to keep it.`);
  else if (spec.secret) parts.push('Stored encrypted; never shown again.');
  return parts.join(' ');
}

function fields(part: SettingsPart, schema: Record<string, FieldSpec>, state: ChannelFormState): Html[] {
  return Object.entries(schema).map(([name, spec]) => {
    const id = `${part}-${name}`;
    return html`<div class="field">
<label for="${id}">${settingLabel(name)}${spec.required ? '' : html` <span class="muted">(optional)</span>`}</label>
${control(part, name, spec, state)}
<p class="hint muted" id="${id}-hint">${hint(spec, savedSecret(state, part, name))}</p>
</div>`;
  });
}

/** The name and every setting of the channel. */
export function channelFields(channel: ChannelSchemas, state: ChannelFormState): Html {
  const nameInvalid = state.problemField === 'name' ? html` aria-invalid="true"` : '';
  return html`<div class="field">
<label for="channel-name">Name</label>
<input type="text" id="channel-name" name="name" value="${state.name}" required maxlength="100"${nameInvalid} aria-describedby="channel-name-hint">
<p class="hint muted" id="channel-name-hint">How rules name it, e.g. "#reviews".</p>
</div>
${fields('config', channel.configSchema, state)}
${fields('credentials', channel.credentialsSchema, state)}
${quietHoursFields(state.quietHours, QUIET_HOURS_HINT, state.problemField)}`;
}

/** A stored channel as its edit form starts: its plain config as text, its secrets as saved. */
export function channelFormState(view: ChannelView): ChannelFormState {
  const values: SettingsText = {};
  for (const [name, value] of Object.entries(view.channel.config)) {
    if (Array.isArray(value)) values[settingName('config', name)] = value.map(String).join('\n');
    else if (value !== null && value !== undefined) values[settingName('config', name)] = String(value);
  }
  return { name: view.channel.name, values, saved: view.secrets, quietHours: quietHoursText(view.channel.quietHours), problemField: undefined };
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The form as submitted: what the channel parses, and the text (secrets excluded) to show again if refused. */
export interface SubmittedChannel {
  name: string;
  config: Record<string, unknown>;
  /** Only the credentials typed in; none typed: undefined, so the saved ones are kept. */
  credentials: Record<string, string> | undefined;
  values: SettingsText;
  /** null: none (both times empty). */
  quietHours: QuietHours | null;
  quietText: QuietHoursText;
}

function readPart(part: SettingsPart, schema: Record<string, FieldSpec>, body: unknown, values: SettingsText): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const submitted = field(body, settingName(part, name));
    if (!spec.secret) values[settingName(part, name)] = submitted;
    // Left empty: not given — required ones are refused by the channel, saved secrets kept.
    if (spec.type === 'string[]') {
      const list = lines(submitted);
      if (list.length > 0) read[name] = list;
    } else if (submitted.trim() !== '') {
      read[name] = submitted.trim();
    }
  }
  return read;
}

export function readChannelForm(channel: ChannelSchemas, body: unknown): SubmittedChannel {
  const values: SettingsText = {};
  const config = readPart('config', channel.configSchema, body, values);
  const credentials = readPart('credentials', channel.credentialsSchema, body, values) as Record<string, string>;
  const quiet = readQuietHoursForm(body);
  return { name: field(body, 'name'), config, credentials: Object.keys(credentials).length > 0 ? credentials : undefined, values, quietHours: quiet.hours, quietText: quiet.text };
}
