import { createPrivateKey, type KeyObject } from 'node:crypto';
import { MAX_LENGTH, optionalString, rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';
import { ConnectorError, type FieldSpec } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';

export interface GooglePlayConfig {
  packageName: string;
  baseUrl: string;
  /** Where the signed JWT is exchanged for an access token; null: the key file's `token_uri`, else Google's. */
  tokenUrl: string | null;
}

export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  privateKeyId: string | null;
  tokenUri: string | null;
}

/** Kept as the key file's text: parsed settings are what gets stored (encrypted), so they stay plain strings. */
export interface GooglePlayCredentials {
  serviceAccountJson: string;
}

export const DEFAULT_BASE_URL = 'https://androidpublisher.googleapis.com';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export const configSchema: Record<string, FieldSpec> = {
  packageName: { type: 'string', required: true, secret: false, description: 'The app\'s package name, e.g. "com.example.app" (the id= in its Play Store URL)' },
  baseUrl: { type: 'url', required: false, secret: false, description: `API root; defaults to ${DEFAULT_BASE_URL}` },
  tokenUrl: { type: 'url', required: false, secret: false, description: `OAuth token endpoint; defaults to the key file's token_uri, or ${DEFAULT_TOKEN_URL}` },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  serviceAccountJson: {
    type: 'string',
    required: true,
    secret: true,
    description: 'The whole JSON key file of a Google Cloud service account that has access to the app in Play Console (with the "Reply to reviews" permission)',
  },
};

function invalidKey(problem: string): ConnectorError {
  // Never quote the file: it holds the private key.
  return new ConnectorError('config', `credentials.serviceAccountJson ${problem}`);
}

/** The key file's parts; checked when the source is saved, read again at each poll. */
export function readServiceAccount(text: string): ServiceAccount {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidKey('is not JSON; paste the whole key file downloaded from Google Cloud (Service accounts → Keys → Add key → JSON)');
  }
  if (!isRecord(parsed)) throw invalidKey('is not a JSON object');
  if (parsed.type !== undefined && parsed.type !== 'service_account') throw invalidKey('is not a service account key (its "type" is not "service_account")');
  if (typeof parsed.client_email !== 'string' || !parsed.client_email.includes('@')) throw invalidKey('has no "client_email"');
  if (typeof parsed.private_key !== 'string' || parsed.private_key === '') throw invalidKey('has no "private_key"');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(parsed.private_key);
  } catch {
    throw invalidKey('has a "private_key" that is not a readable PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw invalidKey('has a "private_key" that is not an RSA key');
  return {
    clientEmail: parsed.client_email,
    privateKey,
    privateKeyId: typeof parsed.private_key_id === 'string' && parsed.private_key_id !== '' ? parsed.private_key_id : null,
    tokenUri: typeof parsed.token_uri === 'string' && parsed.token_uri !== '' ? parsed.token_uri : null,
  };
}

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: GooglePlayConfig; credentials: GooglePlayCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  const packageName = requiredString('config', config, 'packageName');
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/.test(packageName)) {
    throw new ConnectorError('config', 'config.packageName must be a package name like "com.example.app"');
  }
  const serviceAccountJson = requiredString('credentials', credentials, 'serviceAccountJson');
  readServiceAccount(serviceAccountJson);
  return {
    config: {
      packageName,
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      tokenUrl: optionalString('config', config, 'tokenUrl', MAX_LENGTH.url) === undefined ? null : urlWithDefault('config', config, 'tokenUrl', DEFAULT_TOKEN_URL),
    },
    credentials: { serviceAccountJson },
  };
}

/** The token endpoint, which is also the JWT's audience. */
export function tokenEndpoint(config: GooglePlayConfig, account: ServiceAccount): string {
  return config.tokenUrl ?? account.tokenUri ?? DEFAULT_TOKEN_URL;
}
