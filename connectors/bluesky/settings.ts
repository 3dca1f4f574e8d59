import { rejectUnknownFields, requiredString, stringList, urlWithDefault } from '../config-fields.ts';
import type { FieldSpec } from '../contract.ts';

export interface BlueskyConfig {
  terms: string[];
  excludeTerms: string[];
  baseUrl: string;
}

export interface BlueskyCredentials {
  identifier: string;
  appPassword: string;
}

// The account's PDS; it proxies authenticated search. The keyless public host has had search switched off.
export const DEFAULT_BASE_URL = 'https://bsky.social';

export const configSchema: Record<string, FieldSpec> = {
  terms: { type: 'string[]', required: true, secret: false, description: 'Words or phrases to watch for, e.g. the business name; matched as whole words, any case' },
  excludeTerms: { type: 'string[]', required: false, secret: false, description: 'Posts containing any of these are ignored' },
  baseUrl: { type: 'url', required: false, secret: false, description: `The account's PDS; defaults to ${DEFAULT_BASE_URL}` },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  identifier: { type: 'string', required: true, secret: false, description: 'The handle or email of the Bluesky account used to search; replies sent from Earshot are posted as this account' },
  appPassword: { type: 'string', required: true, secret: true, description: 'An app password (Settings → Privacy and security → App passwords), not the account password' },
};

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: BlueskyConfig; credentials: BlueskyCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: {
      terms: stringList('config', config, 'terms', { required: true }),
      excludeTerms: stringList('config', config, 'excludeTerms', { required: false }),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
    },
    credentials: {
      identifier: requiredString('credentials', credentials, 'identifier'),
      appPassword: requiredString('credentials', credentials, 'appPassword'),
    },
  };
}
