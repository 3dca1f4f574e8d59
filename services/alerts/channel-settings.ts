import { literalHostProblem } from '../sources/http/private-address.ts';
import type { ChannelSecrets } from './channel-sealing.ts';
import { ChannelError, type Channel, type ChannelRules, type FieldSpec } from './channels/contract.ts';
import { quietHoursProblem, type QuietHours } from './quiet-hours.ts';

/**
 * The rules for a channel's settings, for adding and changing one: the channel parses
 * them, URLs obey the private-address rule, and secrets are write-only — stored sealed,
 * shown only as "set" with at most a hint, kept when a change does not repeat them.
 */

/** Settings the channel or the private-address rule refuses; `field` is the request path, e.g. `body.config.webhookUrl`. */
export class InvalidChannelSettings extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'InvalidChannelSettings';
    this.field = field;
  }
}

/** What is stored of accepted settings: the plain config as it is, the secrets to be sealed. */
export interface ChannelSettings {
  config: Record<string, unknown>;
  secrets: ChannelSecrets;
}

/** What the owner sent. */
export interface RequestedSettings {
  config: Record<string, unknown>;
  credentials?: Record<string, string>;
}

/**
 * A channel's quiet hours as asked for (null: never quiet), or a refusal naming
 * `body.quietHours.from` or `body.quietHours.to` in quietHoursProblem's words.
 */
export function checkedQuietHours(hours: QuietHours | null): QuietHours | null {
  if (hours === null) return null;
  const problem = quietHoursProblem(hours);
  if (problem !== null) throw new InvalidChannelSettings(`body.quietHours.${problem.field}`, `body.quietHours.${problem.field} ${problem.message}`);
  // Only the two times: nothing else the caller sent is stored.
  return { from: hours.from, to: hours.to };
}

/** A new channel's settings, as the channel parsed them. */
export function settingsForNewChannel(channel: Channel, requested: RequestedSettings, rules: ChannelRules): ChannelSettings {
  return settle(channel, requested.config, requested.credentials ?? {}, rules);
}

/**
 * The settings after a change, or undefined when neither config nor credentials change.
 * A new config replaces the stored one, except its secret fields when the change leaves
 * them out: the owner never saw them, so cannot be asked to repeat them. Credentials not
 * sent stay as stored; credentials sent replace them all. Either way the whole is parsed
 * again, so a new URL is checked together with the secret it will be sent with.
 */
export function settingsAfterChange(
  channel: Channel,
  stored: ChannelSettings,
  change: { config?: Record<string, unknown>; credentials?: Record<string, string> },
  rules: ChannelRules,
): ChannelSettings | undefined {
  if (change.config === undefined && change.credentials === undefined) return undefined;
  const config = change.config === undefined ? { ...stored.config, ...stored.secrets.config } : { ...keptSecrets(channel, stored, change.config), ...change.config };
  return settle(channel, config, change.credentials ?? stored.secrets.credentials, rules);
}

function keptSecrets(channel: Channel, stored: ChannelSettings, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stored.secrets.config).filter(([name]) => channel.configSchema[name]?.secret === true && config[name] === undefined));
}

function settle(channel: Channel, config: Record<string, unknown>, credentials: Record<string, string>, rules: ChannelRules): ChannelSettings {
  let parsed: { config: Record<string, unknown>; credentials: Record<string, string> };
  try {
    parsed = channel.parseConfig(config, credentials, rules) as typeof parsed;
  } catch (error) {
    if (error instanceof ChannelError && error.kind === 'config') {
      const problem = requestProblem(channel, error);
      throw new InvalidChannelSettings(problem.field, problem.message);
    }
    throw error;
  }
  // The channel checks its URLs itself; checked again here so a channel that forgets cannot open a way in.
  refusePrivateUrls('config', channel.configSchema, parsed.config, rules);
  refusePrivateUrls('credentials', channel.credentialsSchema, parsed.credentials, rules);
  return split(channel, parsed);
}

/** Secret config fields and every credential go to the sealed part; the rest is stored as it is. */
function split(channel: Channel, parsed: { config: Record<string, unknown>; credentials: Record<string, string> }): ChannelSettings {
  const config: Record<string, unknown> = {};
  const secretConfig: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.config)) {
    if (value === undefined) continue;
    if (channel.configSchema[name]?.secret === true) secretConfig[name] = value;
    else config[name] = value;
  }
  // An optional secret left out is not set: it must not show as set.
  const credentials = Object.fromEntries(Object.entries(parsed.credentials).filter(([, value]) => value !== undefined));
  return { config, secrets: { config: secretConfig, credentials } };
}

/**
 * The request field a channel's complaint is about. Its `field` is `config.webhookUrl`
 * or `credentials.secret`, or a bare name (`webhookUrl`, `to[1]`) that is looked up among
 * the channel's credentials, else taken as config; either way it becomes `body.<part>.<name>`.
 */
function requestProblem(channel: Channel, error: ChannelError): { field: string; message: string } {
  if (error.field === null) return { field: 'body.config', message: `body.config: ${error.message}` };
  const path = /^(config|credentials)[.[]/.test(error.field) ? error.field : `${partOf(channel, error.field)}.${error.field}`;
  const bare = path.slice(path.indexOf('.') + 1);
  const field = `body.${path}`;
  if (error.message.startsWith(path)) return { field, message: `body.${error.message}` };
  if (error.message.startsWith(bare)) return { field, message: `${field}${error.message.slice(bare.length)}` };
  return { field, message: `${field}: ${error.message}` };
}

function partOf(channel: Channel, field: string): 'config' | 'credentials' {
  const root = /^[^.[]+/.exec(field)?.[0] ?? field;
  return root in channel.credentialsSchema && !(root in channel.configSchema) ? 'credentials' : 'config';
}

function refusePrivateUrls(part: 'config' | 'credentials', schema: Record<string, FieldSpec>, values: Record<string, unknown>, rules: ChannelRules): void {
  for (const [name, spec] of Object.entries(schema)) {
    const value = values[name];
    if (spec.type !== 'url' || typeof value !== 'string') continue;
    const problem = literalHostProblem(value, rules.allowPrivateUrls);
    if (problem !== null) throw new InvalidChannelSettings(`body.${part}.${name}`, `body.${part}.${name} ${problem}`);
  }
}

/**
 * A secret as the owner may see it: that it is set, and for a URL a hint to recognise
 * it by — its origin and last four characters, `https://hooks.slack.com/…/Xy12` — never
 * enough to use it. null hint: none is safe to show (short, not a URL, or unreadable).
 */
export interface MaskedSecret {
  set: true;
  hint: string | null;
}

/**
 * Every secret of a channel, masked. 'unreadable': sealed under another EARSHOT_SECRET,
 * so which are set is unknown; each secret field the channel has is shown as set, without a hint.
 */
export function maskSecrets(
  channel: Pick<Channel, 'configSchema' | 'credentialsSchema'>,
  secrets: ChannelSecrets | 'unreadable',
): { config: Record<string, MaskedSecret>; credentials: Record<string, MaskedSecret> } {
  if (secrets === 'unreadable') {
    const unknown = (schema: Record<string, FieldSpec>) =>
      Object.fromEntries(Object.entries(schema).filter(([, spec]) => spec.secret).map(([name]) => [name, { set: true as const, hint: null }]));
    return { config: unknown(channel.configSchema), credentials: unknown(channel.credentialsSchema) };
  }
  const mask = (schema: Record<string, FieldSpec>, values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { set: true as const, hint: schema[name]?.type === 'url' ? urlHint(value) : null }]));
  return { config: mask(channel.configSchema, secrets.config), credentials: mask(channel.credentialsSchema, secrets.credentials) };
}

/** Characters of a secret URL shown at its end. */
const HINT_TAIL = 4;
/** A URL whose secret part (after the origin) is shorter than this gets no hint: four characters would be too much of it. */
const MIN_HINTED_SECRET = 16;

function urlHint(value: unknown): string | null {
  if (typeof value !== 'string' || !URL.canParse(value)) return null;
  const url = new URL(value);
  const secretPart = value.slice(url.origin.length);
  if (url.origin === 'null' || secretPart.length < MIN_HINTED_SECRET) return null;
  return `${url.origin}/…/${value.slice(-HINT_TAIL)}`;
}
