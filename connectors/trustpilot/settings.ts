import { ConnectorError, type FieldSpec } from '../contract.ts';
import { optionalString, rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';

export interface TrustpilotConfig {
  businessUnitId: string;
  baseUrl: string;
  /** Only reviews in this language (ISO 639-1), or every language when absent. */
  language: string | undefined;
}

export interface TrustpilotCredentials {
  apiKey: string;
  /** Replying only: the API application's secret, for the business token (OAuth client credentials). */
  apiSecret: string | undefined;
  /** Replying only: the business user the replies are posted as. */
  businessUserId: string | undefined;
  /** Review webhooks only: the secret in the subscription URL Trustpilot posts to (webhook-auth.ts). */
  webhookSecret: string | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.trustpilot.com';

// The secret is the webhook's only proof of origin (Trustpilot signs nothing): long enough that guessing is hopeless.
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

export const configSchema: Record<string, FieldSpec> = {
  businessUnitId: {
    type: 'string',
    required: true,
    secret: false,
    description: 'The business unit id (24 hex characters), from GET /v1/business-units/find?name=<your domain>',
  },
  baseUrl: { type: 'url', required: false, secret: false, description: `API root; defaults to ${DEFAULT_BASE_URL}` },
  language: { type: 'string', required: false, secret: false, description: 'Only reviews in this language, e.g. "en" or "da"; every language when absent' },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  apiKey: { type: 'string', required: true, secret: true, description: 'The API key of your Trustpilot API application (Integrations → API in the Trustpilot Business app)' },
  apiSecret: { type: 'string', required: false, secret: true, description: 'For replying: the API secret of the same application' },
  businessUserId: {
    type: 'string',
    required: false,
    secret: true,
    description: 'For replying: the user id of the Trustpilot Business user the replies are posted as (on that user\'s profile page in the Trustpilot Business app)',
  },
  webhookSecret: {
    type: 'string',
    required: false,
    secret: true,
    description: `For review webhooks: a random secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} letters, digits, "-" or "_" (e.g. \`openssl rand -hex 32\`), the last part of the source's webhookUrl (see docs/sources/trustpilot-webhooks.md)`,
  },
};

export function parseSettings(
  config: Record<string, unknown>,
  credentials: Record<string, string>,
): { config: TrustpilotConfig; credentials: TrustpilotCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const businessUnitId = requiredString('config', config, 'businessUnitId');
  if (!/^[A-Za-z0-9]{1,64}$/.test(businessUnitId)) {
    throw new ConnectorError('config', 'config.businessUnitId must be a Trustpilot business unit id such as "4bdc1c7700006400050542e6", not a domain or URL');
  }
  const language = optionalString('config', config, 'language');
  if (language !== undefined && !/^[a-z]{2}(-[A-Za-z]{2})?$/.test(language)) {
    throw new ConnectorError('config', 'config.language must be a language code such as "en" or "pt-BR"');
  }
  const apiSecret = optionalString('credentials', credentials, 'apiSecret');
  const businessUserId = optionalString('credentials', credentials, 'businessUserId');
  if ((apiSecret === undefined) !== (businessUserId === undefined)) {
    throw new ConnectorError('config', 'credentials.apiSecret and credentials.businessUserId are needed together for replying: add both, or neither to only read reviews');
  }
  const webhookSecret = optionalString('credentials', credentials, 'webhookSecret');
  // It travels as a URL path segment, so it is held to characters that need no escaping.
  if (webhookSecret !== undefined && !new RegExp(`^[A-Za-z0-9_-]{${MIN_WEBHOOK_SECRET_LENGTH},200}$`).test(webhookSecret)) {
    throw new ConnectorError('config', `credentials.webhookSecret must be ${MIN_WEBHOOK_SECRET_LENGTH} to 200 letters, digits, "-" or "_" (e.g. \`openssl rand -hex 32\`)`);
  }
  return {
    config: { businessUnitId, baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL), language },
    credentials: {
      apiKey: requiredString('credentials', credentials, 'apiKey'),
      apiSecret,
      businessUserId,
      webhookSecret,
    },
  };
}
