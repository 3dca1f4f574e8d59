import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The key that encrypts third-party credentials at rest, derived from EARSHOT_SECRET. */
export type CredentialsKey = Buffer & { readonly __credentialsKey: true };

const VERSION = 'v1';

export function deriveCredentialsKey(secret: string): CredentialsKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'earshot', 'earshot source credentials v1', 32));
  return key as CredentialsKey;
}

/**
 * AES-256-GCM with a fresh nonce per write. The source id is bound in as associated
 * data, so a ciphertext copied onto another source does not decrypt.
 */
export function encryptCredentials(key: CredentialsKey, sourceId: string, credentials: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sourceId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export class CredentialsDecryptionError extends Error {
  constructor() {
    super('stored credentials cannot be decrypted: EARSHOT_SECRET differs from the one they were saved with; restore it or enter the credentials again');
    this.name = 'CredentialsDecryptionError';
  }
}

export function decryptCredentials(key: CredentialsKey, sourceId: string, envelope: string | null): Record<string, string> {
  if (envelope === null) return {};
  const [version, iv, tag, ciphertext] = envelope.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new CredentialsDecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(sourceId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch {
    throw new CredentialsDecryptionError();
  }
}
