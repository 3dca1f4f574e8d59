import { expect, test } from 'vitest';
import { retryAfterMs } from '../../services/sources/http/retry-after.ts';

const NOW = new Date('2026-03-02T12:00:00Z');

test.each([
  [{ 'retry-after': '30' }, 30_000],
  [{ 'retry-after': 'Mon, 02 Mar 2026 12:02:00 GMT' }, 120_000],
  [{ 'ratelimit-reset': String(NOW.getTime() / 1000 + 45) }, 45_000],
  [{ 'ratelimit-reset': '20' }, 20_000],
  [{ 'x-ratelimit-reset': '2026-03-02T12:05:00.000Z' }, 300_000],
  [{ 'x-ratelimit-reset': '51' }, 51_000],
  // Yelp: the ISO time its daily allowance resets.
  [{ 'ratelimit-resettime': '2026-03-03T00:00:00+00:00' }, 12 * 3600_000],
  [{ 'retry-after': '7', 'ratelimit-resettime': '2026-03-03T00:00:00+00:00' }, 7_000],
  // Retry-After wins over the reset headers.
  [{ 'retry-after': '5', 'ratelimit-reset': '90' }, 5_000],
  [{}, 60_000],
  [{ 'retry-after': 'soon' }, 60_000],
  // A reset already past still waits a moment rather than hammering.
  [{ 'retry-after': 'Mon, 02 Mar 2026 11:00:00 GMT' }, 1_000],
])('%j → %i ms', (headers, wait) => {
  expect(retryAfterMs(headers, NOW)).toBe(wait);
});
