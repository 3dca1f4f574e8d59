import { rejectUnknownFields, requiredString } from '../config-fields.ts';
import { ConnectorError, type FieldSpec } from '../contract.ts';

export type WebhookConfig = Record<string, never>;
export interface WebhookCredentials {
  secret: string;
}

export const configSchema: Record<string, FieldSpec> = {};
export const credentialsSchema: Record<string, FieldSpec> = {
  secret: {
    type: 'string',
    required: true,
    secret: true,
    description: 'Shared secret the sender signs each request with (HMAC-SHA256); at least 24 characters',
  },
};

// Short secrets can be guessed offline from one signed request.
const MIN_SECRET_LENGTH = 24;

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: WebhookConfig; credentials: WebhookCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const secret = requiredString('credentials', credentials, 'secret');
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConnectorError('config', `credentials.secret must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  }
  return { config: {}, credentials: { secret } };
}
