import type { Connector, FieldSpec } from '../connectors/contract.ts';
import { field } from './form-body.ts';
import { settingLabel, settingName, type SettingsPart, type SettingsText } from './config-form.ts';

/** A settings form as submitted: the values for the connector, and the text to show again if it is refused. */
export interface SubmittedSettings {
  config: Record<string, unknown>;
  /** Only the credentials typed in: an empty one is left out (on edit: kept as saved). */
  credentials: Record<string, string>;
  /** What the person typed, secrets excluded, to fill a refused form again. */
  text: SettingsText;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function read(part: SettingsPart, schema: Record<string, FieldSpec>, body: unknown, text: SettingsText): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const submitted = field(body, settingName(part, name));
    if (!spec.secret) text[settingName(part, name)] = submitted;
    // An empty field is a setting not given: the connector's default applies.
    if (spec.type === 'string[]') {
      const list = lines(submitted);
      if (list.length > 0) values[name] = list;
    } else if (submitted.trim() !== '') {
      values[name] = submitted.trim();
    }
  }
  return values;
}

/** Reads the generated form back into the shape the connector parses. */
export function readSettingsForm(connector: Connector<any, any>, body: unknown): SubmittedSettings {
  const text: SettingsText = {};
  const config = read('config', connector.configSchema, body, text);
  const credentials = read('credentials', connector.credentialsSchema, body, text) as Record<string, string>;
  return { config, credentials, text };
}

/** Whether the config fields say anything other than what is stored (shown as `stored`). */
export function configChanged(connector: Connector<any, any>, submitted: SettingsText, stored: SettingsText): boolean {
  return Object.keys(connector.configSchema).some((name) => {
    const key = settingName('config', name);
    return lines(submitted[key] ?? '').join('\n') !== lines(stored[key] ?? '').join('\n');
  });
}

/**
 * A refusal's request path (`body.config.url`, `body.credentials.secret`,
 * `body.pollEveryMinutes`) as the form field it names, and the message in the
 * form's words: "URL is not a valid URL".
 */
export function settingsProblem(path: string, message: string): { field: string; text: string } {
  const setting = /^body\.(config|credentials)\.([A-Za-z_$][\w$]*)/.exec(path);
  if (setting) {
    const [whole, part, name] = setting as unknown as [string, SettingsPart, string];
    const rest = message.startsWith(whole) ? message.slice(whole.length).replace(/^(\[\d+\])?\s*/, '') : message.replace(/^body\./, '');
    return { field: settingName(part, name), text: `${settingLabel(name)}: ${rest}` };
  }
  if (path === 'body.pollEveryMinutes') return { field: 'pollEveryMinutes', text: `Poll every (minutes): ${message.replace(/^body\.pollEveryMinutes\s*/, '')}` };
  return { field: path.replace(/^body\.?/, ''), text: message.replace(/^body\.(config|credentials)?:?\s*/, '') };
}
