import { decryptCredentials, encryptCredentials, type CredentialsKey } from '../sources/credentials.ts';

/**
 * A channel's write-only values: the config fields its contract marks secret (a Slack,
 * Teams or ntfy URL is a secret itself) and all of its credentials.
 */
export interface ChannelSecrets {
  config: Record<string, unknown>;
  credentials: Record<string, string>;
}

export const NO_SECRETS: ChannelSecrets = Object.freeze({ config: {}, credentials: {} }) as ChannelSecrets;

/**
 * The associated data sealed with a channel's secrets. Prefixed, so a channel's
 * ciphertext opens neither on another channel nor on a source that happened to share
 * its id; sources bind their bare id.
 */
function boundTo(channelId: string): string {
  return `alert_channel:${channelId}`;
}

// Sealed as one flat record: `config.webhookUrl`, `credentials.secret`, each value JSON text.
const CONFIG_PREFIX = 'config.';
const CREDENTIALS_PREFIX = 'credentials.';

/** AES-256-GCM as for sources' credentials; null when the channel has no secret at all. */
export function sealChannelSecrets(key: CredentialsKey, channelId: string, secrets: ChannelSecrets): string | null {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets.config)) flat[CONFIG_PREFIX + name] = JSON.stringify(value);
  for (const [name, value] of Object.entries(secrets.credentials)) flat[CREDENTIALS_PREFIX + name] = JSON.stringify(value);
  return Object.keys(flat).length > 0 ? encryptCredentials(key, boundTo(channelId), flat) : null;
}

/** Throws CredentialsDecryptionError when EARSHOT_SECRET changed or the envelope belongs elsewhere. */
export function openChannelSecrets(key: CredentialsKey, channelId: string, sealed: string | null): ChannelSecrets {
  const secrets: ChannelSecrets = { config: {}, credentials: {} };
  for (const [name, text] of Object.entries(decryptCredentials(key, boundTo(channelId), sealed))) {
    const value: unknown = JSON.parse(text);
    if (name.startsWith(CONFIG_PREFIX)) secrets.config[name.slice(CONFIG_PREFIX.length)] = value;
    else if (name.startsWith(CREDENTIALS_PREFIX) && typeof value === 'string') secrets.credentials[name.slice(CREDENTIALS_PREFIX.length)] = value;
  }
  return secrets;
}
