import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a sender's clock may be from ours, and how long a signed request stays usable. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * How long an accepted signature must be remembered to refuse its replays: a timestamp
 * up to the tolerance ahead of our clock stays acceptable for twice the tolerance.
 */
export const REPLAY_MEMORY_SECONDS = 2 * SIGNATURE_TOLERANCE_SECONDS;

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under the source's secret. */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Checks a pushed request. The timestamp is inside the signature, so a captured
 * request cannot be re-sent later with a fresh one; within the tolerance window the
 * caller also refuses exact repeats.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  now: Date,
): SignatureProblem | null {
  if (headers.timestamp === undefined || headers.signature === undefined) return 'missing';
  if (!/^\d{1,12}$/.test(headers.timestamp) || !/^sha256=[0-9a-f]{64}$/.test(headers.signature)) return 'malformed';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : 'mismatch';
}
