import { literalHostProblem } from '../../sources/http/private-address.ts';
import { ChannelError, type ChannelRules, type FieldSpec } from './contract.ts';

/**
 * Reading what an owner entered for a channel. Every refusal is a ChannelError('config')
 * naming the field as the API spells it (`config.webhookUrl`, `credentials.secret`), and
 * never quotes the value: channel URLs and secrets are secrets.
 */

export type Part = 'config' | 'credentials';

const MAX_URL_LENGTH = 2048;
const MAX_SECRET_LENGTH = 512;

export function refuseField(field: string, problem: string): never {
  throw new ChannelError('config', `${field} ${problem}`, { field });
}

/** A field the channel does not know is refused: a typo must not pass as a setting silently ignored. */
export function rejectUnknownFields(part: Part, input: Record<string, unknown>, schema: Record<string, FieldSpec>): void {
  const unknown = Object.keys(input).find((name) => !Object.hasOwn(schema, name));
  if (unknown !== undefined) refuseField(`${part}.${unknown}`, `is not a setting of this channel (known: ${Object.keys(schema).join(', ') || 'none'})`);
}

function requiredText(part: Part, input: Record<string, unknown>, name: string): string {
  const field = `${part}.${name}`;
  const value = input[name];
  if (value === undefined || value === null) refuseField(field, 'is required');
  if (typeof value !== 'string') refuseField(field, 'must be a string');
  const trimmed = value.trim();
  if (trimmed === '') refuseField(field, 'is required');
  return trimmed;
}

/**
 * Any http(s) URL (no host is required of a channel), under the private-address rule:
 * one pointing at this machine or a private network is refused unless the operator
 * allows private URLs. A host name resolving to a private address is refused when sent.
 */
export function channelUrl(part: Part, input: Record<string, unknown>, name: string, rules: ChannelRules): string {
  const url = requiredText(part, input, name);
  if (url.length > MAX_URL_LENGTH) refuseField(`${part}.${name}`, `must be at most ${MAX_URL_LENGTH} characters`);
  const problem = literalHostProblem(url, rules.allowPrivateUrls);
  if (problem !== null) refuseField(`${part}.${name}`, problem);
  return url;
}

/** A shared secret, long enough that it cannot be guessed. */
export function channelSecret(part: Part, input: Record<string, unknown>, name: string, minLength: number): string {
  const secret = requiredText(part, input, name);
  if (secret.length < minLength) refuseField(`${part}.${name}`, `must be at least ${minLength} characters (e.g. \`openssl rand -hex 32\`)`);
  if (secret.length > MAX_SECRET_LENGTH) refuseField(`${part}.${name}`, `must be at most ${MAX_SECRET_LENGTH} characters`);
  return secret;
}

/** An optional token: absent or blank is none. */
export function optionalToken(part: Part, input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  return channelSecret(part, input, name, 1);
}

/** The settings of a channel that is one secret webhook URL and nothing else (Slack, Teams). */
export function webhookUrlSettings(
  config: Record<string, unknown>,
  credentials: Record<string, unknown>,
  rules: ChannelRules,
  configSchema: Record<string, FieldSpec>,
): { config: { webhookUrl: string }; credentials: Record<string, never> } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, {});
  return { config: { webhookUrl: channelUrl('config', config, 'webhookUrl', rules) }, credentials: {} };
}
