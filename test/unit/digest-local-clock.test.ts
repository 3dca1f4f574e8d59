import { expect, test } from 'vitest';
import { addDays, clockProblem, instantAt, isoDate, localDayOf, minutesOfClock, weekdayOf } from '../../services/alerts/digests/local-clock.ts';

test('the local day of an instant is the zone’s, not UTC’s', () => {
  // 23:30 UTC on Saturday 28 March is already Sunday in Paris, still Saturday in New York.
  const instant = Date.parse('2026-03-28T23:30:00Z');
  expect(isoDate(localDayOf('Europe/Paris', instant))).toBe('2026-03-29');
  expect(weekdayOf(localDayOf('Europe/Paris', instant))).toBe('sun');
  expect(isoDate(localDayOf('America/New_York', instant))).toBe('2026-03-28');
  expect(weekdayOf(localDayOf('America/New_York', instant))).toBe('sat');
});

test('days count on the calendar, so a day with a clock change is still one day', () => {
  const saturday = localDayOf('Europe/Paris', Date.parse('2026-03-28T12:00:00Z'));
  expect(isoDate(addDays(saturday, 1))).toBe('2026-03-29');
  expect(isoDate(addDays(saturday, 2))).toBe('2026-03-30');
  expect(weekdayOf(addDays(saturday, 2))).toBe('mon');
  expect(isoDate(addDays(saturday, -6))).toBe('2026-03-22');
  const sunday = addDays(saturday, 1);
  expect(new Date(instantAt('Europe/Paris', sunday, minutesOfClock('08:00'))).toISOString()).toBe('2026-03-29T06:00:00.000Z');
  expect(new Date(instantAt('Europe/Paris', sunday, minutesOfClock('02:30'))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
});

test('a time of day is "HH:MM" from 00:00 to 23:59', () => {
  expect(minutesOfClock('00:00')).toBe(0);
  expect(minutesOfClock('07:05')).toBe(425);
  expect(minutesOfClock('23:59')).toBe(1439);
  for (const bad of ['24:00', '7:00', '07:60', '07:00:00', '', 'noon']) {
    expect(clockProblem(bad)).toBe(`must be a time "HH:MM" between 00:00 and 23:59, got "${bad}"`);
    expect(() => minutesOfClock(bad)).toThrow(RangeError);
  }
  expect(clockProblem('12:30')).toBeNull();
});
