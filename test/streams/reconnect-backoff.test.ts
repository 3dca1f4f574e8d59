import { expect, test } from 'vitest';
import { createReconnectBackoff, RECONNECT_BACKOFF } from '../../services/streams/reconnect-backoff.ts';

test('waits 1 s, doubling to 30 s while connections keep failing', () => {
  const backoff = createReconnectBackoff();
  expect(Array.from({ length: 8 }, () => backoff.next(0))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test('a connection that stayed up a healthy spell starts the count again from 1 s', () => {
  const backoff = createReconnectBackoff();
  for (let attempt = 0; attempt < 6; attempt++) backoff.next(0);
  expect(backoff.next(RECONNECT_BACKOFF.healthyAfterMs)).toBe(1000);
  expect(backoff.next(0)).toBe(2000);
});

test('a connection dropped soon after it opened keeps backing off', () => {
  const backoff = createReconnectBackoff();
  backoff.next(0);
  backoff.next(0);
  expect(backoff.next(RECONNECT_BACKOFF.healthyAfterMs - 1)).toBe(4000);
});
