import { rejectUnknownFields, stringList, urlWithDefault } from '../config-fields.ts';
import type { FieldSpec } from '../contract.ts';

export interface HackerNewsConfig {
  terms: string[];
  excludeTerms: string[];
  baseUrl: string;
}

export type HackerNewsCredentials = Record<string, never>;

// Algolia's public Hacker News search; keyless.
export const DEFAULT_BASE_URL = 'https://hn.algolia.com';

export const configSchema: Record<string, FieldSpec> = {
  terms: { type: 'string[]', required: true, secret: false, description: 'Words or phrases to watch for, e.g. the business name; matched as whole words, any case' },
  excludeTerms: { type: 'string[]', required: false, secret: false, description: 'Stories and comments containing any of these are ignored' },
  baseUrl: { type: 'url', required: false, secret: false, description: `The Hacker News search API root; defaults to ${DEFAULT_BASE_URL}` },
};

export const credentialsSchema: Record<string, FieldSpec> = {};

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: HackerNewsConfig; credentials: HackerNewsCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: {
      terms: stringList('config', config, 'terms', { required: true }),
      excludeTerms: stringList('config', config, 'excludeTerms', { required: false }),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
    },
    credentials: {},
  };
}
