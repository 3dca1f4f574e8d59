import { ConnectorError, type FieldSpec } from '../contract.ts';
import { optionalString, rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';

export interface YelpConfig {
  businessId: string;
  baseUrl: string;
  /** e.g. `en_US`; Yelp's default when absent. */
  locale: string | undefined;
}

export interface YelpCredentials {
  apiKey: string;
}

export const DEFAULT_BASE_URL = 'https://api.yelp.com';

export const configSchema: Record<string, FieldSpec> = {
  businessId: { type: 'string', required: true, secret: false, description: 'The Yelp business id or alias, e.g. "chez-marie-paris-3" (the last part of the business page URL)' },
  baseUrl: { type: 'url', required: false, secret: false, description: `API root; defaults to ${DEFAULT_BASE_URL}` },
  locale: { type: 'string', required: false, secret: false, description: 'Reviews in this locale, e.g. "en_US" or "fr_FR"; Yelp chooses when absent' },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  apiKey: { type: 'string', required: true, secret: true, description: 'A Yelp Places (Fusion) API key, from your app on https://www.yelp.com/developers/v3/manage_app' },
};

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: YelpConfig; credentials: YelpCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const locale = optionalString('config', config, 'locale');
  if (locale !== undefined && !/^[a-z]{2}_[A-Z]{2}$/.test(locale)) {
    throw new ConnectorError('config', 'config.locale must be a Yelp locale such as "en_US" (language_COUNTRY)');
  }
  return {
    config: {
      businessId: requiredString('config', config, 'businessId'),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      locale,
    },
    credentials: { apiKey: requiredString('credentials', credentials, 'apiKey') },
  };
}
