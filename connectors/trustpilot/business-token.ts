import { ConnectorError, type HttpClient } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import type { TrustpilotConfig } from './settings.ts';

export interface ReplyCredentials {
  apiKey: string;
  apiSecret: string;
  businessUserId: string;
}

/**
 * A business access token for the private API (OAuth 2.0 client credentials: the API
 * key and secret, Basic-encoded). One is asked for per reply: Trustpilot refuses tokens
 * asked for too often with 429, which a reply every few minutes is far from, and
 * keeping none means no token outlives the job that needed it.
 */
export async function businessToken(http: HttpClient, config: TrustpilotConfig, credentials: ReplyCredentials): Promise<string> {
  let body: unknown;
  try {
    ({ body } = await http.json({
      method: 'POST',
      url: `${config.baseUrl}/v1/oauth/oauth-business-users-for-applications/accesstoken`,
      headers: { authorization: `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
      label: 'business token (client credentials)',
    }));
  } catch (error) {
    if (error instanceof ConnectorError && (error.status === 400 || error.status === 401 || error.status === 403)) {
      throw new ConnectorError('config', `${error.message}; the API key and secret were refused: check credentials.apiKey and credentials.apiSecret`, {
        status: error.status,
        cause: error,
      });
    }
    throw error;
  }
  if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    // The answer holds tokens; keep only its shape for inspection.
    throw badPayload('trustpilot business token: the response has no access_token', isRecord(body) ? Object.keys(body) : typeof body);
  }
  return body.access_token;
}
