import { ConnectorError, type HttpClient } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import type { RedditCredentials } from './settings.ts';

/** Reddit refuses generic clients; it asks for a unique, descriptive User-Agent on every request. */
export const USER_AGENT = 'Earshot/1.0 (self-hosted review monitor)';

/**
 * An app-only token (client credentials grant). Valid for an hour; a poll asks for
 * one and uses it for every listing it reads.
 */
export async function accessToken(http: HttpClient, authBaseUrl: string, credentials: RedditCredentials): Promise<string> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const { body } = await http.json({
    method: 'POST',
    url: `${authBaseUrl}/api/v1/access_token`,
    headers: { Authorization: `Basic ${basic}`, 'User-Agent': USER_AGENT },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
    label: 'access token',
  });
  if (isRecord(body) && typeof body.error === 'string') {
    // Reddit answers some refusals with 200 and {"error": "…"}.
    throw new ConnectorError('config', `reddit access token refused: ${body.error.slice(0, 100)}. Check credentials.clientId and credentials.clientSecret`);
  }
  if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    // The reply holds a token; keep only its shape for inspection.
    throw badPayload('reddit access token: the response has no access_token', isRecord(body) ? Object.keys(body) : typeof body);
  }
  return body.access_token;
}
