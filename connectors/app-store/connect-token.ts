import { createPrivateKey, sign } from 'node:crypto';
import { ConnectorError } from '../contract.ts';

/** A team API key for the App Store Connect API. */
export interface ConnectKey {
  issuerId: string;
  keyId: string;
  /** The .p8 key as PKCS #8 PEM, checked to be an EC P-256 key. */
  privateKey: string;
}

// Apple refuses tokens that live longer than 20 minutes; each request signs a fresh one.
const TOKEN_LIFETIME_SECONDS = 10 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(name: string, problem: string): ConnectorError {
  return new ConnectorError('config', `credentials.${name} ${problem}`);
}

/**
 * Checks the key as App Store Connect gives it. A .p8 file pasted into a form often
 * loses its line breaks, so the key is read from its base64 body alone and written
 * back as proper PEM.
 */
export function parseConnectKey(input: ConnectKey): ConnectKey {
  if (!UUID.test(input.issuerId)) throw invalid('issuerId', 'must be the issuer id App Store Connect shows, e.g. 57246542-96fe-1a63-e053-0824d011072a');
  if (!/^[A-Za-z0-9]{6,20}$/.test(input.keyId)) throw invalid('keyId', 'must be the key id App Store Connect shows, e.g. 2X9R4HXF34');
  const body = input.privateKey.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const problem = 'must be the contents of the .p8 file App Store Connect gave (an EC P-256 private key, -----BEGIN PRIVATE KEY----- …)';
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw invalid('privateKey', problem);
  try {
    const key = createPrivateKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw invalid('privateKey', problem);
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    throw invalid('privateKey', problem);
  }
  const pem = `-----BEGIN PRIVATE KEY-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { issuerId: input.issuerId.toLowerCase(), keyId: input.keyId, privateKey: pem };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The bearer token App Store Connect takes: a JWT signed with ES256. JOSE wants the
 * signature as the raw r‖s pair, not the DER node:crypto makes by default.
 */
export function connectToken(key: ConnectKey, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const header = { alg: 'ES256', kid: key.keyId, typ: 'JWT' };
  const claims = { iss: key.issuerId, iat: issuedAt, exp: issuedAt + TOKEN_LIFETIME_SECONDS, aud: 'appstoreconnect-v1' };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}
