import type { Connector, FieldSpec } from '../connectors/contract.ts';
import { html, type Html } from './html.ts';

/**
 * A connector's settings form, generated from its config and credentials schemas
 * (the same data `GET /v1/source-types` gives): one labelled control per field, of
 * the kind its type calls for. Secrets are password inputs that are never filled
 * in: after saving, the form only says one is saved.
 */

export type SettingsPart = 'config' | 'credentials';

/** What the person typed, per form field name (`config.url`), as text. */
export type SettingsText = Record<string, string>;

/** The form field of a setting: `config.url`, `credentials.apiKey`. */
export function settingName(part: SettingsPart, name: string): string {
  return `${part}.${name}`;
}

function settingId(part: SettingsPart, name: string): string {
  return `${part}-${name}`;
}

const WORDS: Record<string, string> = { url: 'URL', id: 'ID', api: 'API', json: 'JSON', oauth: 'OAuth', sla: 'SLA' };

/** `placeId` → "Place ID", `serviceAccountJson` → "Service account JSON": a label from a schema's field name. */
export function settingLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .map((word) => WORDS[word.toLowerCase()] ?? word.toLowerCase());
  const first = words[0] ?? name;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}

/** A stored config as the form shows it: lists one entry per line. */
export function configAsText(config: Record<string, unknown>): SettingsText {
  const text: SettingsText = {};
  for (const [name, value] of Object.entries(config)) {
    if (Array.isArray(value)) text[settingName('config', name)] = value.map(String).join('\n');
    else if (value !== null && value !== undefined) text[settingName('config', name)] = String(value);
  }
  return text;
}

interface FieldOptions {
  values: SettingsText;
  /** The source already has credentials: an empty secret keeps the saved one. */
  credentialsSaved: boolean;
  /** The form field the last problem was about, marked for screen readers. */
  problemField: string | undefined;
}

function control(part: SettingsPart, name: string, spec: FieldSpec, options: FieldOptions): Html {
  const id = settingId(part, name);
  const fieldName = settingName(part, name);
  const keepsSaved = part === 'credentials' && options.credentialsSaved;
  const required = spec.required && !keepsSaved;
  const invalid = options.problemField === fieldName ? html` aria-invalid="true"` : '';
  const common = html`id="${id}" name="${fieldName}" aria-describedby="${id}-hint"${required ? html` required` : ''}${invalid}`;
  // Never echo a secret, not even one the person just typed into a refused form.
  if (spec.secret) return html`<input type="password" ${common} autocomplete="new-password" spellcheck="false">`;
  const value = options.values[fieldName] ?? '';
  if (spec.type === 'string[]') return html`<textarea ${common} rows="3" spellcheck="false">${value}</textarea>`;
  if (spec.type === 'url') return html`<input type="url" ${common} value="${value}" inputmode="url" spellcheck="false">`;
  return html`<input type="text" ${common} value="${value}" spellcheck="false">`;
}

function hint(part: SettingsPart, spec: FieldSpec, credentialsSaved: boolean): string {
  const parts = [/[.!?)]$/.test(spec.description) ? spec.description : `${spec.description}.`];
  if (spec.type === 'string[]') parts.push('One per line.');
  if (part === 'credentials' && credentialsSaved) parts.push('Saved; leave empty to keep it.');
  else if (spec.secret) parts.push('Stored encrypted; never shown again.');
  return parts.join(' ');
}

function fields(part: SettingsPart, schema: Record<string, FieldSpec>, options: FieldOptions): Html[] {
  return Object.entries(schema).map(([name, spec]) => {
    const id = settingId(part, name);
    return html`<div class="field">
<label for="${id}">${settingLabel(name)}${spec.required ? '' : html` <span class="muted">(optional)</span>`}</label>
${control(part, name, spec, options)}
<p class="hint muted" id="${id}-hint">${hint(part, spec, options.credentialsSaved)}</p>
</div>`;
  });
}

/** Every setting of the connector, config first, then credentials. */
export function settingsFields(connector: Connector<any, any>, options: FieldOptions): Html {
  const config = fields('config', connector.configSchema, options);
  const credentials = fields('credentials', connector.credentialsSchema, options);
  return html`${config.length > 0 ? html`<fieldset><legend>Settings</legend>${config}</fieldset>` : ''}
${credentials.length > 0 ? html`<fieldset><legend>Credentials</legend>${credentials}</fieldset>` : ''}`;
}
