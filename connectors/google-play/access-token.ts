import { createSign } from 'node:crypto';
import { ConnectorError, type ConnectorContext, type HttpClient } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { readServiceAccount, tokenEndpoint, type GooglePlayConfig, type GooglePlayCredentials, type ServiceAccount } from './settings.ts';

export const SCOPE = 'https://www.googleapis.com/auth/androidpublisher';
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const LIFETIME_S = 3600;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The service account's signed assertion (RFC 7523): RS256 over header.claims with the account's private key. */
export function signedAssertion(account: ServiceAccount, audience: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(account.privateKeyId === null ? {} : { kid: account.privateKeyId }) };
  const claims = { iss: account.clientEmail, scope: SCOPE, aud: audience, iat, exp: iat + LIFETIME_S };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(account.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

/**
 * Exchanges the assertion for an access token. A poll gets one and uses it for every
 * page (it lasts an hour); Google answers a refused key with 400 or 401
 * (`invalid_grant`, `invalid_client`), both the owner's to fix.
 */
export async function accessToken(http: HttpClient, account: ServiceAccount, tokenUrl: string, now: Date): Promise<string> {
  let body: unknown;
  try {
    ({ body } = await http.json({
      method: 'POST',
      url: tokenUrl,
      body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion: signedAssertion(account, tokenUrl, now) }),
      label: 'token exchange (service account)',
    }));
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'config') {
      throw new ConnectorError(
        'config',
        `${error.message}. Check that credentials.serviceAccountJson is a current key of an enabled service account (keys can be deleted or expire)`,
        { status: error.status, cause: error },
      );
    }
    throw error;
  }
  if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    // The reply holds tokens; keep only its shape for inspection.
    throw badPayload('google_play token exchange: the response has no access_token', isRecord(body) ? Object.keys(body) : typeof body);
  }
  return body.access_token;
}

/** An access token for the source's service account. */
export async function signIn(config: GooglePlayConfig, credentials: GooglePlayCredentials, ctx: ConnectorContext): Promise<string> {
  const account = readServiceAccount(credentials.serviceAccountJson);
  return accessToken(ctx.http, account, tokenEndpoint(config, account), ctx.now());
}
