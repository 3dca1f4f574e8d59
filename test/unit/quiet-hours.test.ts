import { describe, expect, test } from 'vitest';
import { instantAlertSendAt, isUrgent, quietClock, quietHoursProblem } from '../../services/alerts/quiet-hours.ts';

const at = (iso: string) => new Date(iso);
const until = (clock: ReturnType<typeof quietClock>, iso: string) => clock.quietUntil(at(iso))?.toISOString() ?? null;

describe('quiet hours across midnight, 22:00 to 07:00', () => {
  const paris = quietClock({ from: '22:00', to: '07:00' }, 'Europe/Paris');

  test('on an ordinary night: quiet from 22:00 (included) to 07:00 (excluded), local', () => {
    expect(paris.isQuiet(at('2026-07-01T19:59:59Z'))).toBe(false);
    expect(paris.isQuiet(at('2026-07-01T20:00:00Z'))).toBe(true);
    expect(until(paris, '2026-07-01T21:30:00Z')).toBe('2026-07-02T05:00:00.000Z');
    // After midnight the quiet hours are the ones that began the evening before.
    expect(until(paris, '2026-07-02T03:00:00Z')).toBe('2026-07-02T05:00:00.000Z');
    expect(paris.isQuiet(at('2026-07-02T05:00:00Z'))).toBe(false);
    expect(until(paris, '2026-07-02T12:00:00Z')).toBeNull();
  });

  test.each([
    // zone, a moment in the night, when the night began, when it ends, its length in hours
    ['Europe/Paris', '2026-03-29T00:30:00Z', '2026-03-28T21:00:00Z', '2026-03-29T05:00:00.000Z', 8],
    ['Europe/Paris', '2026-10-25T01:30:00Z', '2026-10-24T20:00:00Z', '2026-10-25T06:00:00.000Z', 10],
    ['America/New_York', '2026-03-08T07:30:00Z', '2026-03-08T03:00:00Z', '2026-03-08T11:00:00.000Z', 8],
    ['America/New_York', '2026-11-01T06:15:00Z', '2026-11-01T02:00:00Z', '2026-11-01T12:00:00.000Z', 10],
  ])('%s, the night of a clock change (%s): the quiet hours follow the wall clock', (zone, moment, began, ends, hours) => {
    const clock = quietClock({ from: '22:00', to: '07:00' }, zone);
    expect(until(clock, moment)).toBe(ends);
    expect(clock.isQuiet(at(began))).toBe(true);
    expect(clock.isQuiet(new Date(Date.parse(began) - 1))).toBe(false);
    expect(Date.parse(ends) - Date.parse(began)).toBe(hours * 3_600_000);
  });
});

describe('quiet hours that begin or end in the hour a clock change skips or repeats', () => {
  test('an end the spring change skips (02:30 in Paris) comes an hour later on the new clock, 03:30', () => {
    const clock = quietClock({ from: '01:00', to: '02:30' }, 'Europe/Paris');
    expect(clock.isQuiet(at('2026-03-28T23:59:59Z'))).toBe(false);
    expect(until(clock, '2026-03-29T00:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(until(clock, '2026-03-29T01:15:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(clock.isQuiet(at('2026-03-29T01:30:00Z'))).toBe(false);
  });

  test('an end the autumn change repeats (01:30 in New York) is its later instant', () => {
    const clock = quietClock({ from: '00:00', to: '01:30' }, 'America/New_York');
    expect(until(clock, '2026-11-01T05:45:00Z')).toBe('2026-11-01T06:30:00.000Z');
    expect(clock.isQuiet(at('2026-11-01T06:30:00Z'))).toBe(false);
  });

  test('a start the autumn change repeats is its later instant: the first 01:30 is not quiet yet', () => {
    const clock = quietClock({ from: '01:30', to: '05:00' }, 'America/New_York');
    expect(clock.isQuiet(at('2026-11-01T05:30:00Z'))).toBe(false);
    expect(until(clock, '2026-11-01T06:30:00Z')).toBe('2026-11-01T10:00:00.000Z');
  });

  test('one day’s quiet hours running into the next day’s, as a skipped end can make them, read as one stretch', () => {
    // 03:00 → 02:30: on 29 March 02:30 is read as 03:30 CEST, after that day's 03:00 start.
    const clock = quietClock({ from: '03:00', to: '02:30' }, 'Europe/Paris');
    expect(until(clock, '2026-03-29T01:15:00Z')).toBe('2026-03-30T00:30:00.000Z');
    expect(until(clock, '2026-03-28T12:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });
});

test('quiet hours within a day, 12:00 to 14:00', () => {
  const clock = quietClock({ from: '12:00', to: '14:00' }, 'America/New_York');
  expect(clock.isQuiet(at('2026-07-01T15:59:00Z'))).toBe(false);
  expect(until(clock, '2026-07-01T16:00:00Z')).toBe('2026-07-01T18:00:00.000Z');
  expect(clock.isQuiet(at('2026-07-01T18:00:00Z'))).toBe(false);
  expect(clock.isQuiet(at('2026-07-02T03:00:00Z'))).toBe(false);
});

describe('holding an instant alert', () => {
  const clock = quietClock({ from: '22:00', to: '07:00' }, 'Europe/Paris');
  const night = at('2026-07-01T23:00:00Z');

  test('a 2★ item in quiet hours waits until they end; a 1★ or an urgent rule’s item goes at once', () => {
    expect(instantAlertSendAt(clock, night, isUrgent({ rating: 2 }, false)).toISOString()).toBe('2026-07-02T05:00:00.000Z');
    expect(instantAlertSendAt(clock, night, isUrgent({ rating: 1 }, false))).toEqual(night);
    expect(instantAlertSendAt(clock, night, isUrgent({ rating: null }, true))).toEqual(night);
  });

  test('outside quiet hours, or without any, an alert goes at once', () => {
    const noon = at('2026-07-01T10:00:00Z');
    expect(instantAlertSendAt(clock, noon, false)).toEqual(noon);
    expect(instantAlertSendAt(null, night, false)).toEqual(night);
  });

  test('an unrated item is not urgent by itself', () => {
    expect(isUrgent({ rating: null }, false)).toBe(false);
    expect(isUrgent({ rating: 2 }, false)).toBe(false);
  });
});

describe('quiet hours as entered', () => {
  test.each([
    [{ from: '22:00', to: '07:00' }, null],
    [{ from: '00:00', to: '23:59' }, null],
    [{ from: '7:00', to: '08:00' }, { field: 'from', message: 'must be a time "HH:MM" between 00:00 and 23:59, got "7:00"' }],
    [{ from: '22:00', to: '24:00' }, { field: 'to', message: 'must be a time "HH:MM" between 00:00 and 23:59, got "24:00"' }],
    [{ from: '22:00', to: '22:00' }, { field: 'to', message: 'must differ from "from": quiet hours cannot start and end at the same time' }],
  ])('%j → %j', (hours, problem) => {
    expect(quietHoursProblem(hours)).toEqual(problem);
  });

  test('a clock is refused for hours or a zone that cannot be read', () => {
    expect(() => quietClock({ from: '22:00', to: '22:00' }, 'Europe/Paris')).toThrow('quiet hours to must differ');
    expect(() => quietClock({ from: '22:00', to: '07:00' }, 'Mars/Olympus').isQuiet(at('2026-07-01T00:00:00Z'))).toThrow(RangeError);
  });
});
