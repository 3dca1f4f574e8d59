import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'esk_';

/** A new API key: 256 random bits behind a recognisable prefix. Only its hash is ever stored. */
export function generateApiKey(): { key: string; hash: string; displayPrefix: string } {
  const key = PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), displayPrefix: key.slice(0, PREFIX.length + 6) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
