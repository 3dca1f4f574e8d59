import type { DigestCadence } from './digest-schedule.ts';

/** The delivery kind of each digest: one delivery per business, recipient, kind and period. */
export const DIGEST_KINDS: Record<DigestCadence, string> = { daily: 'daily_digest', weekly: 'weekly_digest' };

/** The cadence of a digest delivery, by its kind; throws for a kind that is not a digest's. */
export function cadenceOfDigest(kind: string): DigestCadence {
  if (kind === DIGEST_KINDS.daily) return 'daily';
  if (kind === DIGEST_KINDS.weekly) return 'weekly';
  throw new Error(`${kind} is not a digest kind`);
}
