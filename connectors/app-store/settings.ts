import { ConnectorError, type FieldSpec } from '../contract.ts';
import { rejectUnknownFields, requiredString, stringList, urlWithDefault } from '../config-fields.ts';

export interface AppStoreConfig {
  appId: string;
  /** Lower-case two-letter storefront codes, e.g. "us", "gb". */
  countries: string[];
  baseUrl: string;
}

/** The customer-reviews feed is public: no credentials. */
export type AppStoreCredentials = Record<string, never>;

export const DEFAULT_BASE_URL = 'https://itunes.apple.com';
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
};

export const credentialsSchema: Record<string, FieldSpec> = {};

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
    },
    credentials: {},
  };
}
