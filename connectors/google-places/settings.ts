import { optionalString, rejectUnknownFields, requiredString, urlWithDefault } from '../config-fields.ts';
import type { FieldSpec } from '../contract.ts';

export interface GooglePlacesConfig {
  placeId: string;
  baseUrl: string;
  languageCode: string | undefined;
}

export interface GooglePlacesCredentials {
  apiKey: string;
}

export const DEFAULT_BASE_URL = 'https://places.googleapis.com';

export const configSchema: Record<string, FieldSpec> = {
  placeId: { type: 'string', required: true, secret: false, description: 'The place id (the same as the legacy place_id), e.g. from the Place ID Finder' },
  baseUrl: { type: 'url', required: false, secret: false, description: `API root; defaults to ${DEFAULT_BASE_URL}` },
  languageCode: { type: 'string', required: false, secret: false, description: 'Ask Google to translate reviews into this language, e.g. "en"; the original text is kept' },
};

export const credentialsSchema: Record<string, FieldSpec> = {
  apiKey: { type: 'string', required: true, secret: true, description: 'A Google Cloud API key with the Places API (New) enabled' },
};

export function parseSettings(config: Record<string, unknown>, credentials: Record<string, string>): { config: GooglePlacesConfig; credentials: GooglePlacesCredentials } {
  rejectUnknownFields('config', config, configSchema);
  rejectUnknownFields('credentials', credentials, credentialsSchema);
  return {
    config: {
      placeId: requiredString('config', config, 'placeId'),
      baseUrl: urlWithDefault('config', config, 'baseUrl', DEFAULT_BASE_URL),
      languageCode: optionalString('config', config, 'languageCode'),
    },
    credentials: { apiKey: requiredString('credentials', credentials, 'apiKey') },
  };
}
