import { describe, expect, test } from 'vitest';
import { openingClock } from '../../services/response-times/opening-clock.ts';
import { wallTimeToInstant } from '../../services/response-times/zone-offset.ts';

const ms = (iso: string) => Date.parse(iso);
const hours = (n: number) => n * 3_600_000;
const weekdays9to17 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ open: '09:00', close: '17:00' }]]));

describe('wall time to instant, as PostgreSQL reads `timestamp AT TIME ZONE`', () => {
  test.each([
    ['Europe/Paris', '2026-01-15T09:00:00Z', '2026-01-15T08:00:00.000Z'], // winter, +01:00
    ['Europe/Paris', '2026-07-15T09:00:00Z', '2026-07-15T07:00:00.000Z'], // summer, +02:00
    ['Europe/Paris', '2026-03-29T02:30:00Z', '2026-03-29T01:30:00.000Z'], // skipped: the offset before the change
    ['Europe/Paris', '2026-10-25T02:30:00Z', '2026-10-25T01:30:00.000Z'], // twice: the offset after the change
    ['America/New_York', '2026-03-08T02:30:00Z', '2026-03-08T07:30:00.000Z'],
    ['America/New_York', '2026-11-01T01:30:00Z', '2026-11-01T06:30:00.000Z'],
    ['Asia/Kolkata', '2026-05-01T09:00:00Z', '2026-05-01T03:30:00.000Z'],
    ['UTC', '2026-05-01T09:00:00Z', '2026-05-01T09:00:00.000Z'],
  ])('%s %s', (zone, wall, instant) => {
    expect(new Date(wallTimeToInstant(zone, ms(wall))).toISOString()).toBe(instant);
  });
});

describe('opening clock', () => {
  const paris = openingClock('Europe/Paris', weekdays9to17);

  test('no hours: every second counts, and never below zero', () => {
    const always = openingClock('Europe/Paris', null);
    expect(always.openMsBetween(ms('2026-03-27T15:00:00Z'), ms('2026-03-30T08:00:00Z'))).toBe(hours(65));
    expect(always.openMsBetween(ms('2026-03-30T08:00:00Z'), ms('2026-03-27T15:00:00Z'))).toBe(0);
  });

  test('a weekend across the spring change: Fri 16–17 and Mon 09–10, Paris time', () => {
    expect(paris.openMsBetween(ms('2026-03-27T15:00:00Z'), ms('2026-03-30T08:00:00Z'))).toBe(hours(2));
  });

  test('a weekend across the autumn change: all of Monday and half an hour of Tuesday', () => {
    expect(paris.openMsBetween(ms('2026-10-24T10:00:00Z'), ms('2026-10-27T08:30:00Z'))).toBe(hours(8.5));
  });

  test('within one open interval, wholly closed spans, and reversed spans', () => {
    expect(paris.openMsBetween(ms('2026-05-05T08:00:00Z'), ms('2026-05-05T08:45:00Z'))).toBe(45 * 60_000);
    expect(paris.openMsBetween(ms('2026-05-05T16:00:00Z'), ms('2026-05-06T06:00:00Z'))).toBe(0);
    expect(paris.openMsBetween(ms('2026-05-09T00:00:00Z'), ms('2026-05-10T23:00:00Z'))).toBe(0);
    expect(paris.openMsBetween(ms('2026-05-06T10:00:00Z'), ms('2026-05-05T10:00:00Z'))).toBe(0);
  });

  test('spans far apart, built on demand: a year of weekdays is 261 days × 8 h', () => {
    // 2027 has 261 weekdays (no holidays are known to Earshot).
    expect(paris.openMsBetween(ms('2026-12-31T23:00:00Z'), ms('2027-12-31T23:00:00Z'))).toBe(hours(261 * 8));
    expect(paris.openMsBetween(ms('2020-01-06T08:00:00Z'), ms('2020-01-06T09:00:00Z'))).toBe(hours(1));
  });

  test('split days and "24:00"', () => {
    const split = openingClock('UTC', { sat: [{ open: '10:00', close: '12:00' }, { open: '14:00', close: '24:00' }] });
    expect(split.openMsBetween(ms('2026-05-09T00:00:00Z'), ms('2026-05-10T00:00:00Z'))).toBe(hours(12));
    expect(split.openMsBetween(ms('2026-05-09T11:00:00Z'), ms('2026-05-09T15:00:00Z'))).toBe(hours(2));
  });
});
