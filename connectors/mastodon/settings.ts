import { MAX_LENGTH, optionalString, rejectUnknownFields, stringList, urlWithDefault } from '../config-fields.ts';
import { ConnectorError, type FieldSpec } from '../contract.ts';

export interface MastodonConfig {
  instanceUrl: string;
  /** Where API requests go: `baseUrl` when given (a sandbox or recording), else the instance. */
  baseUrl: string;
  /** Lower case, without '#'. */
  hashtags: string[];
  terms: string[];
  excludeTerms: string[];
  /** Who sees a reply sent from Earshot. */
  replyVisibility: ReplyVisibility;
}

export const REPLY_VISIBILITIES = ['public', 'unlisted', 'direct'] as const;
export type ReplyVisibility = (typeof REPLY_VISIBILITIES)[number];

export interface MastodonCredentials {
  accessToken?: string;
}

export const configSchema: Record<string, FieldSpec> = {
  instanceUrl: { type: 'url', required: true, secret: false, description: 'The Mastodon instance to read from, e.g. https://mastodon.social (your account’s instance if you give a token)' },
  hashtags: { type: 'string[]', required: false, secret: false, description: 'Hashtags to follow, without #; every post in their timelines is kept. Give hashtags, terms, or both' },
  terms: { type: 'string[]', required: false, secret: false, description: 'Words or phrases to search posts for (needs an access token on most instances); matched as whole words, any case' },
  excludeTerms: { type: 'string[]', required: false, secret: false, description: 'Posts containing any of these are ignored, from hashtags and searches alike' },
  baseUrl: { type: 'url', required: false, secret: false, description: 'Send API requests here instead of instanceUrl (for a sandbox or recording); defaults to instanceUrl' },
  replyVisibility: {
    type: 'string',
    required: false,
    secret: false,
    description: 'Who sees replies sent from Earshot: public (default), unlisted (not in public timelines) or direct (only the person answered)',
  },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  accessToken: {
    type: 'string',
    required: false,
    secret: true,
    description:
      'An access token (Preferences → Development → New application) with the read scope, needed for term search on most instances; give it the write:statuses scope too to reply from Earshot (replies are posted as its account)',
  },
};

const HASHTAG = /^[\p{L}\p{M}\p{N}_]+$/u;

function hashtags(config: Record<string, unknown>): string[] {
  const tags = stringList('config', config, 'hashtags', { required: false }).map((tag) => tag.replace(/^#/, '').toLowerCase());
  for (const tag of tags) {
    if (!HASHTAG.test(tag)) throw new ConnectorError('config', `config.hashtags has "${tag}", which is not a hashtag (letters, digits and _ only)`);
  }
  return [...new Set(tags)];
}

function replyVisibility(config: Record<string, unknown>): ReplyVisibility {
  const value = optionalString('config', config, 'replyVisibility') ?? 'public';
  const known = REPLY_VISIBILITIES.find((visibility) => visibility === value);
  if (known === undefined) throw new ConnectorError('config', `config.replyVisibility must be one of ${REPLY_VISIBILITIES.join(', ')}`);
  return known;
}

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: MastodonConfig; credentials: MastodonCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  if (optionalString('config', config, 'instanceUrl', MAX_LENGTH.url) === undefined) throw new ConnectorError('config', 'config.instanceUrl is required');
  // The fallback is never used: the value is present.
  const instanceUrl = urlWithDefault('config', config, 'instanceUrl', 'https://invalid.invalid');
  const parsed: MastodonConfig = {
    instanceUrl,
    baseUrl: urlWithDefault('config', config, 'baseUrl', instanceUrl),
    hashtags: hashtags(config),
    terms: stringList('config', config, 'terms', { required: false }),
    excludeTerms: stringList('config', config, 'excludeTerms', { required: false }),
    replyVisibility: replyVisibility(config),
  };
  if (parsed.hashtags.length === 0 && parsed.terms.length === 0) {
    throw new ConnectorError('config', 'config.hashtags or config.terms must have at least one entry');
  }
  const accessToken = optionalString('credentials', credentials, 'accessToken');
  return { config: parsed, credentials: accessToken === undefined ? {} : { accessToken } };
}
