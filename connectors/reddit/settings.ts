import { rejectUnknownFields, requiredString, stringList, urlWithDefault } from '../config-fields.ts';
import { ConnectorError, type FieldSpec } from '../contract.ts';

export interface RedditConfig {
  terms: string[];
  excludeTerms: string[];
  /** Without the r/ prefix; empty = search all of Reddit. */
  subreddits: string[];
  baseUrl: string;
  authBaseUrl: string;
}

export interface RedditCredentials {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_BASE_URL = 'https://oauth.reddit.com';
export const DEFAULT_AUTH_BASE_URL = 'https://www.reddit.com';

export const configSchema: Record<string, FieldSpec> = {
  terms: { type: 'string[]', required: true, secret: false, description: 'Words or phrases to watch for, e.g. the business name; matched as whole words, any case' },
  excludeTerms: { type: 'string[]', required: false, secret: false, description: 'Posts and comments containing any of these are ignored' },
  subreddits: { type: 'string[]', required: false, secret: false, description: 'Read these subreddits’ new posts and comments (e.g. ["Paris"]) instead of searching all of Reddit; comments are only read this way' },
  baseUrl: { type: 'url', required: false, secret: false, description: `The Reddit API root; defaults to ${DEFAULT_BASE_URL}` },
  authBaseUrl: { type: 'url', required: false, secret: false, description: `Where access tokens are requested; defaults to ${DEFAULT_AUTH_BASE_URL}` },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  clientId: { type: 'string', required: true, secret: false, description: 'The client id of a Reddit "script" or "web app" (reddit.com/prefs/apps), shown under its name' },
  clientSecret: { type: 'string', required: true, secret: true, description: 'The app’s secret' },
};

const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;

function subreddits(config: Record<string, unknown>): string[] {
  const names = stringList('config', config, 'subreddits', { required: false }).map((name) => name.replace(/^\/?r\//i, ''));
  for (const name of names) {
    if (!SUBREDDIT.test(name)) throw new ConnectorError('config', `config.subreddits has "${name}", which is not a subreddit name`);
  }
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: RedditConfig; credentials: RedditCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: {
      terms: stringList('config', config, 'terms', { required: true }),
      excludeTerms: stringList('config', config, 'excludeTerms', { required: false }),
      subreddits: subreddits(config),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      authBaseUrl: urlWithDefault('config', config, 'authBaseUrl', DEFAULT_AUTH_BASE_URL),
    },
    credentials: {
      clientId: requiredString('credentials', credentials, 'clientId'),
      clientSecret: requiredString('credentials', credentials, 'clientSecret'),
    },
  };
}
