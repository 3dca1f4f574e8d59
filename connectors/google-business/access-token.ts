import { ConnectorError, type HttpClient } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import type { GoogleBusinessConfig, GoogleBusinessCredentials } from './settings.ts';

/**
 * Exchanges the stored refresh token for an access token (Google OAuth 2.0,
 * `grant_type=refresh_token`, form-encoded). A poll refreshes once and uses the
 * token for every page. Google answers a revoked or expired refresh token with
 * 400 `invalid_grant`, and a wrong client with 400/401 `invalid_client`: both need
 * the owner, so they are 'config' errors saying what to do.
 */
export async function accessToken(http: HttpClient, config: GoogleBusinessConfig, credentials: GoogleBusinessCredentials): Promise<string> {
  let body: unknown;
  try {
    ({ body } = await http.json({
      method: 'POST',
      url: `${config.tokenBaseUrl}/token`,
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        refresh_token: credentials.refreshToken,
      }),
      label: 'token refresh',
    }));
  } catch (error) {
    if (error instanceof ConnectorError && (error.status === 400 || error.status === 401)) {
      const advice = error.message.includes('invalid_client')
        ? 'the OAuth client id or secret was refused: check credentials.clientId and credentials.clientSecret'
        : 'the refresh token was revoked or expired: reconnect the Google account';
      throw new ConnectorError('config', `${error.message}; ${advice}`, { status: error.status, cause: error });
    }
    throw error;
  }
  if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    // The reply holds tokens; keep only its shape for inspection.
    throw badPayload('google_business token refresh: the response has no access_token', isRecord(body) ? Object.keys(body) : typeof body);
  }
  return body.access_token;
}
