import { ConnectorError, type FieldSpec } from '../contract.ts';
import { optionalString, rejectUnknownFields, requiredString, stringList, urlWithDefault } from '../config-fields.ts';
import { parseConnectKey, type ConnectKey } from './connect-token.ts';

export interface AppStoreConfig {
  appId: string;
  /** Lower-case two-letter storefront codes, e.g. "us", "gb". */
  countries: string[];
  baseUrl: string;
  /** The App Store Connect API root (replies). */
  connectBaseUrl: string;
}

/**
 * Reading needs nothing (the customer-reviews feed is public); replying needs an App
 * Store Connect API key: all three fields, or none. Kept as the fields themselves,
 * since what parseConfig returns is what is stored and parsed again.
 */
export type AppStoreCredentials = Partial<ConnectKey>;

export const DEFAULT_BASE_URL = 'https://itunes.apple.com';
export const DEFAULT_CONNECT_BASE_URL = 'https://api.appstoreconnect.apple.com';
const DEFAULT_COUNTRIES = ['us'];

export const configSchema: Record<string, FieldSpec> = {
  appId: { type: 'string', required: true, secret: false, description: 'The numeric App Store id, the digits after "id" in the app\'s URL (apps.apple.com/us/app/…/id123456789)' },
  countries: {
    type: 'string[]',
    required: false,
    secret: false,
    description: 'Storefronts to watch, as two-letter country codes, e.g. ["us","gb"]; each has its own reviews. Defaults to ["us"]',
  },
  baseUrl: { type: 'url', required: false, secret: false, description: `Feed root; defaults to ${DEFAULT_BASE_URL}` },
  connectBaseUrl: { type: 'url', required: false, secret: false, description: `App Store Connect API root, for replies; defaults to ${DEFAULT_CONNECT_BASE_URL}` },
};

// Write-only like every credential; the ids are not secrets, but they are no use without the key.
export const credentialsSchema: Record<string, FieldSpec> = {
  issuerId: { type: 'string', required: false, secret: true, description: 'To reply: the issuer id shown above the keys in App Store Connect (Users and Access → Integrations → App Store Connect API)' },
  keyId: { type: 'string', required: false, secret: true, description: 'To reply: the key id of a team API key with the Customer Support, App Manager or Admin role' },
  privateKey: { type: 'string', required: false, secret: true, description: 'To reply: the contents of that key\'s .p8 file (-----BEGIN PRIVATE KEY----- …)' },
};

const CONNECT_FIELDS = ['issuerId', 'keyId', 'privateKey'] as const;

/** The API key, when one is given: all three fields, or none. */
function connectKey(credentials: Record<string, string>): AppStoreCredentials {
  const given = CONNECT_FIELDS.filter((name) => optionalString('credentials', credentials, name) !== undefined);
  if (given.length === 0) return {};
  const missing = CONNECT_FIELDS.find((name) => !given.includes(name));
  if (missing !== undefined) throw new ConnectorError('config', `credentials.${missing} is required with ${given.map((name) => `credentials.${name}`).join(' and ')}: an App Store Connect API key needs all three`);
  return parseConnectKey({
    issuerId: requiredString('credentials', credentials, 'issuerId'),
    keyId: requiredString('credentials', credentials, 'keyId'),
    privateKey: requiredString('credentials', credentials, 'privateKey'),
  });
}

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: AppStoreConfig; credentials: AppStoreCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const appId = requiredString('config', config, 'appId').replace(/^id/i, '');
  if (!/^\d{1,20}$/.test(appId)) throw new ConnectorError('config', 'config.appId must be the numeric App Store id, e.g. "284882215"');
  const listed = stringList('config', config, 'countries', { required: false }).map((code) => code.toLowerCase());
  for (const code of listed) {
    if (!/^[a-z]{2}$/.test(code)) throw new ConnectorError('config', `config.countries has "${code}", which is not a two-letter country code`);
  }
  return {
    config: {
      appId,
      countries: listed.length > 0 ? [...new Set(listed)] : DEFAULT_COUNTRIES,
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      connectBaseUrl: urlWithDefault('config', config, 'connectBaseUrl', DEFAULT_CONNECT_BASE_URL),
    },
    credentials: connectKey(credentials),
  };
}
