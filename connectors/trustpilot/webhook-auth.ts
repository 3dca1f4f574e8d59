import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Trustpilot signs nothing it posts: its Business app takes only a subscription URL
 * (Integrations → Developers → Webhooks). So the URL itself is the proof — it ends in
 * the source's webhookSecret, which only the owner and Trustpilot know. Compared in
 * constant time, by digest, so neither the secret's characters nor its length leak.
 */
export function webhookSecretMatches(stored: string | undefined, given: string): boolean {
  if (stored === undefined || stored === '') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(stored), digest(given));
}
