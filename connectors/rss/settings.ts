import { MAX_LENGTH, optionalString, rejectUnknownFields, stringList } from '../config-fields.ts';
import { ConnectorError, type FieldSpec } from '../contract.ts';

export interface RssConfig {
  url: string;
  terms: string[];
  excludeTerms: string[];
}

export type RssCredentials = Record<string, never>;

export const configSchema: Record<string, FieldSpec> = {
  url: { type: 'url', required: true, secret: false, description: 'The feed’s address: any RSS 2.0 or Atom feed, e.g. a Google Alerts feed (https://www.google.com/alerts/feeds/…)' },
  terms: { type: 'string[]', required: false, secret: false, description: 'Keep only entries containing one of these words or phrases; leave empty when the feed is already a search (Google Alerts)' },
  excludeTerms: { type: 'string[]', required: false, secret: false, description: 'Entries containing any of these are ignored' },
};

export const credentialsSchema: Record<string, FieldSpec> = {};

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: RssConfig; credentials: RssCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const value = optionalString('config', config, 'url', MAX_LENGTH.url);
  if (value === undefined) throw new ConnectorError('config', 'config.url is required');
  if (!URL.canParse(value)) throw new ConnectorError('config', 'config.url is not a valid URL');
  const parsed = new URL(value);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConnectorError('config', 'config.url must be an http or https URL');
  // Unlike an API root, a feed address may need its query; the fragment is never sent.
  parsed.hash = '';
  const url = parsed.toString();
  return {
    config: {
      url,
      terms: stringList('config', config, 'terms', { required: false }),
      excludeTerms: stringList('config', config, 'excludeTerms', { required: false }),
    },
    credentials: {},
  };
}
