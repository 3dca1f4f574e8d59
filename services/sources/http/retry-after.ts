const DEFAULT_WAIT_MS = 60_000;
const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 24 * 3600_000;
// Reset headers hold either seconds to wait or an epoch time; no wait is 30 years long.
const EPOCH_SECONDS_THRESHOLD = 1e9;

/**
 * How long a 429 asks us to wait, from whichever header the platform sends:
 * `Retry-After` (seconds or an HTTP date), `RateLimit-Reset` (Bluesky: epoch
 * seconds; the IETF draft: seconds to wait) or `X-RateLimit-Reset` (Mastodon: an
 * ISO date; Reddit: seconds) or `RateLimit-ResetTime` (Yelp: an ISO date, when
 * its daily allowance resets). One minute when none says.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: Date): number {
  for (const name of ['retry-after', 'ratelimit-reset', 'x-ratelimit-reset', 'ratelimit-resettime']) {
    const value = headers[name];
    if (value === undefined) continue;
    const wait = waitFromHeader(value.trim(), now.getTime());
    if (wait !== null) return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait));
  }
  return DEFAULT_WAIT_MS;
}

function waitFromHeader(value: string, nowMs: number): number | null {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const seconds = Number(value);
    return seconds >= EPOCH_SECONDS_THRESHOLD ? seconds * 1000 - nowMs : seconds * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at - nowMs;
}
