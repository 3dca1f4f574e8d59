import { ConnectorError, type FieldSpec } from '../contract.ts';
import { rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';

export interface GoogleBusinessConfig {
  accountId: string;
  locationId: string;
  baseUrl: string;
  /** Where the refresh token is exchanged for an access token (`{tokenBaseUrl}/token`). */
  tokenBaseUrl: string;
}

export interface GoogleBusinessCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export const DEFAULT_BASE_URL = 'https://mybusiness.googleapis.com';
export const DEFAULT_TOKEN_BASE_URL = 'https://oauth2.googleapis.com';

export const configSchema: Record<string, FieldSpec> = {
  accountId: { type: 'string', required: true, secret: false, description: 'The Business Profile account id, e.g. "1234567890" or "accounts/1234567890"' },
  locationId: { type: 'string', required: true, secret: false, description: 'The location id, e.g. "9876543210" or "locations/9876543210"' },
  baseUrl: { type: 'url', required: false, secret: false, description: `Business Profile API root; defaults to ${DEFAULT_BASE_URL}` },
  tokenBaseUrl: { type: 'url', required: false, secret: false, description: `Google OAuth token endpoint root (POST {tokenBaseUrl}/token); defaults to ${DEFAULT_TOKEN_BASE_URL}` },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  clientId: { type: 'string', required: true, secret: false, description: 'The OAuth client id of your Google Cloud project (approved for the Business Profile APIs)' },
  clientSecret: { type: 'string', required: true, secret: true, description: 'The OAuth client secret' },
  refreshToken: { type: 'string', required: true, secret: true, description: 'A refresh token granted by an owner or manager of the listing for the business.manage scope' },
};

/** "123", "accounts/123" and (for the location) "accounts/123/locations/456" all name the same thing. */
function resourceId(part: 'accountId' | 'locationId', values: Record<string, unknown>, collection: 'accounts' | 'locations'): string {
  const raw = requiredString('config', values, part);
  const parts = raw.split('/');
  const index = parts.lastIndexOf(collection);
  const value = parts.length === 1 ? raw : index >= 0 ? (parts[index + 1] ?? '') : '';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new ConnectorError('config', `config.${part} must be a ${collection.slice(0, -1)} id such as "1234567890"`);
  return value;
}

export function parseSettings(
  config: Record<string, unknown>,
  credentials: Record<string, string>,
): { config: GoogleBusinessConfig; credentials: GoogleBusinessCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: {
      accountId: resourceId('accountId', config, 'accounts'),
      locationId: resourceId('locationId', config, 'locations'),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      tokenBaseUrl: urlWithDefault('config', config, 'tokenBaseUrl', DEFAULT_TOKEN_BASE_URL),
    },
    credentials: {
      clientId: requiredString('credentials', credentials, 'clientId'),
      clientSecret: requiredString('credentials', credentials, 'clientSecret'),
      refreshToken: requiredString('credentials', credentials, 'refreshToken'),
    },
  };
}
