/** Exponential backoff with a ceiling, so a long outage is retried every few minutes, not every few days. */
export function cappedExponentialDelay(attemptsMade: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const delay = baseMs * 2 ** Math.min(exponent, 30);
  // Up to 10% jitter keeps many retries from arriving at the same instant.
  return Math.min(maxMs, delay) * (1 + Math.random() * 0.1);
}
