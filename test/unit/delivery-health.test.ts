import { describe, expect, test } from 'vitest';
import { judgeDeliveryHealth, MAIL_STUCK_AFTER_SECONDS, withoutAddresses } from '../../services/alerts/delivery-health.ts';

const now = new Date('2026-12-06T12:00:00Z');
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const unsent = { waiting: 0, failing: 0, oldestCreatedAt: null, lastError: null, lastErrorAt: null, now };

describe('judgeDeliveryHealth', () => {
  test.each([
    ['nothing waits', unsent, 'ok'],
    ['a young alert on its way', { ...unsent, waiting: 1, oldestCreatedAt: secondsAgo(5) }, 'ok'],
    ['an alert whose last attempt failed', { ...unsent, waiting: 1, failing: 1, oldestCreatedAt: secondsAgo(5), lastError: 'ECONNREFUSED', lastErrorAt: secondsAgo(1) }, 'degraded'],
    ['an alert waiting too long without an error (no worker)', { ...unsent, waiting: 1, oldestCreatedAt: secondsAgo(MAIL_STUCK_AFTER_SECONDS + 1) }, 'degraded'],
  ] as const)('%s → %s', (_, facts, status) => {
    expect(judgeDeliveryHealth(facts).status).toBe(status);
  });

  test('reports the age of the oldest unsent alert by the database clock', () => {
    expect(judgeDeliveryHealth({ ...unsent, waiting: 2, oldestCreatedAt: secondsAgo(90) }).oldestWaitingSeconds).toBe(90);
  });
});

test('withoutAddresses masks recipients a mail server quotes', () => {
  expect(withoutAddresses('550 5.1.1 <owner@shop.example>: Recipient address rejected')).toBe('550 5.1.1 <<address>>: Recipient address rejected');
  expect(withoutAddresses('connect ECONNREFUSED 127.0.0.1:2525')).toBe('connect ECONNREFUSED 127.0.0.1:2525');
  expect(withoutAddresses(null)).toBeNull();
});
