import { ConnectorError, type FieldSpec } from '../contract.ts';
import { optionalString, rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';

export interface GoogleBusinessConfig {
  accountId: string;
  locationId: string;
  baseUrl: string;
  /** Where the refresh token is exchanged for an access token (`{tokenBaseUrl}/token`). */
  tokenBaseUrl: string;
  /** A Pub/Sub pull subscription to the account's review notifications ("projects/P/subscriptions/S"): reviews within seconds. */
  pubsubSubscription?: string;
  /** The topic Earshot names in the account's notification setting ("projects/P/topics/T"), when it sets it itself. */
  pubsubTopic?: string;
  /** Cloud Pub/Sub REST root (`POST {pubsubBaseUrl}/v1/{subscription}:pull`). */
  pubsubBaseUrl: string;
  /** My Business Notifications API root (`PATCH {notificationsBaseUrl}/v1/accounts/{id}/notificationSetting`). */
  notificationsBaseUrl: string;
}

export interface GoogleBusinessCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export const DEFAULT_BASE_URL = 'https://mybusiness.googleapis.com';
export const DEFAULT_TOKEN_BASE_URL = 'https://oauth2.googleapis.com';
export const DEFAULT_PUBSUB_BASE_URL = 'https://pubsub.googleapis.com';
export const DEFAULT_NOTIFICATIONS_BASE_URL = 'https://mybusinessnotifications.googleapis.com';

export const configSchema: Record<string, FieldSpec> = {
  accountId: { type: 'string', required: true, secret: false, description: 'The Business Profile account id, e.g. "1234567890" or "accounts/1234567890"' },
  locationId: { type: 'string', required: true, secret: false, description: 'The location id, e.g. "9876543210" or "locations/9876543210"' },
  baseUrl: { type: 'url', required: false, secret: false, description: `Business Profile API root; defaults to ${DEFAULT_BASE_URL}` },
  tokenBaseUrl: { type: 'url', required: false, secret: false, description: `Google OAuth token endpoint root (POST {tokenBaseUrl}/token); defaults to ${DEFAULT_TOKEN_BASE_URL}` },
  pubsubSubscription: {
    type: 'string',
    required: false,
    secret: false,
    description: 'A Cloud Pub/Sub pull subscription to the account\'s review notifications, e.g. "projects/my-project/subscriptions/earshot-reviews": new and edited reviews arrive within seconds',
  },
  pubsubTopic: {
    type: 'string',
    required: false,
    secret: false,
    description: 'The Pub/Sub topic of those notifications, e.g. "projects/my-project/topics/business-reviews": given, Earshot sets the account\'s notification setting itself',
  },
  pubsubBaseUrl: { type: 'url', required: false, secret: false, description: `Cloud Pub/Sub API root; defaults to ${DEFAULT_PUBSUB_BASE_URL}` },
  notificationsBaseUrl: { type: 'url', required: false, secret: false, description: `My Business Notifications API root; defaults to ${DEFAULT_NOTIFICATIONS_BASE_URL}` },
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

/** A Pub/Sub resource name: "projects/{project}/{collection}/{name}", as Google spells them. */
function pubsubName(values: Record<string, unknown>, field: 'pubsubSubscription' | 'pubsubTopic', collection: 'subscriptions' | 'topics'): string | undefined {
  const value = optionalString('config', values, field);
  if (value === undefined) return undefined;
  // Project ids: 6-30 lowercase letters, digits, hyphens (or a domain-scoped "example.com:p"); names: 3-255 of letters, digits and -_.~+%.
  if (!new RegExp(`^projects/[a-z][a-z0-9.:-]{4,62}/${collection}/[A-Za-z][A-Za-z0-9._~+%-]{2,254}$`).test(value)) {
    throw new ConnectorError('config', `config.${field} must be a Pub/Sub ${collection.slice(0, -1)} name such as "projects/my-project/${collection}/earshot-reviews"`);
  }
  return value;
}

/** The config alone, as a stream reads it to know which location a source watches. */
export function parseConfig(config: Record<string, unknown>): GoogleBusinessConfig {
  rejectUnknownFields('config', config, configSchema);
  return {
    accountId: resourceId('accountId', config, 'accounts'),
    locationId: resourceId('locationId', config, 'locations'),
    baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
    tokenBaseUrl: urlWithDefault('config', config, 'tokenBaseUrl', DEFAULT_TOKEN_BASE_URL),
    pubsubSubscription: pubsubName(config, 'pubsubSubscription', 'subscriptions'),
    pubsubTopic: pubsubName(config, 'pubsubTopic', 'topics'),
    pubsubBaseUrl: urlWithDefault('config', config, 'pubsubBaseUrl', DEFAULT_PUBSUB_BASE_URL),
    notificationsBaseUrl: urlWithDefault('config', config, 'notificationsBaseUrl', DEFAULT_NOTIFICATIONS_BASE_URL),
  };
}

export function parseSettings(
  config: Record<string, unknown>,
  credentials: Record<string, string>,
): { config: GoogleBusinessConfig; credentials: GoogleBusinessCredentials } {
  const parsed = parseConfig(config);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: parsed,
    credentials: {
      clientId: requiredString('credentials', credentials, 'clientId'),
      clientSecret: requiredString('credentials', credentials, 'clientSecret'),
      refreshToken: requiredString('credentials', credentials, 'refreshToken'),
    },
  };
}
