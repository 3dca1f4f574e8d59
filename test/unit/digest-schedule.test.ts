import { describe, expect, test } from 'vitest';
import {
  currentDigestPeriod,
  lastEndedDigestPeriod,
  nextDigestDue,
  type DigestPeriod,
  type DigestSchedule,
} from '../../services/alerts/digests/digest-schedule.ts';

const at = (iso: string) => new Date(iso);
const shown = (period: DigestPeriod) => ({ start: period.start.toISOString(), end: period.end.toISOString(), key: period.key });
const daily = (timeZone: string, time: string): DigestSchedule => ({ cadence: 'daily', at: time, timeZone });
const HOUR = 3_600_000;

describe('a daily digest at a local time', () => {
  test('on an ordinary day the period runs from yesterday’s send time to today’s, due at today’s', () => {
    const schedule = daily('Europe/Paris', '08:00');
    expect(shown(currentDigestPeriod(schedule, at('2026-07-01T05:59:59Z')))).toEqual({
      start: '2026-06-30T06:00:00.000Z',
      end: '2026-07-01T06:00:00.000Z',
      key: 'daily:2026-07-01',
    });
    // At the send time itself the period has ended: it is the one due, and the next one has begun.
    expect(shown(lastEndedDigestPeriod(schedule, at('2026-07-01T06:00:00Z')))).toEqual({
      start: '2026-06-30T06:00:00.000Z',
      end: '2026-07-01T06:00:00.000Z',
      key: 'daily:2026-07-01',
    });
    expect(nextDigestDue(schedule, at('2026-07-01T06:00:00Z')).toISOString()).toBe('2026-07-02T06:00:00.000Z');
  });

  test('the local day decides, not the UTC day: 23:30 in New York is the next day in UTC', () => {
    const schedule = daily('America/New_York', '23:30');
    expect(shown(currentDigestPeriod(schedule, at('2026-07-02T02:00:00Z')))).toEqual({
      start: '2026-07-01T03:30:00.000Z',
      end: '2026-07-02T03:30:00.000Z',
      key: 'daily:2026-07-01',
    });
  });

  test.each([
    // zone, the send time skipped when clocks go forward, the day before, the day itself (an hour later on the new clock), the day after
    ['Europe/Paris', '02:30', '2026-03-28', '2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
    ['America/New_York', '02:30', '2026-03-07', '2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'],
  ])('%s: a %s digest on the spring-forward night is sent at 03:30 on the new clock, the day still gets one', (zone, time, dayBefore, before, skipped, after) => {
    const schedule = daily(zone, time);
    const justAfterGap = new Date(Date.parse(before) + 23.5 * HOUR);
    expect(shown(currentDigestPeriod(schedule, justAfterGap))).toEqual({ start: before, end: skipped, key: `daily:${skipped.slice(0, 10)}` });
    expect(lastEndedDigestPeriod(schedule, justAfterGap).key).toBe(`daily:${dayBefore}`);
    const period = lastEndedDigestPeriod(schedule, new Date(Date.parse(skipped) + HOUR));
    expect(shown(period)).toEqual({ start: before, end: skipped, key: `daily:${skipped.slice(0, 10)}` });
    // The next period is an hour short: the clock jumped.
    expect(shown(currentDigestPeriod(schedule, new Date(Date.parse(skipped) + HOUR)))).toEqual({ start: skipped, end: after, key: `daily:${after.slice(0, 10)}` });
  });

  test.each([
    // zone, the send time repeated when clocks go back, its earlier instant, its later instant (the send time), the day before's send time
    ['Europe/Paris', '02:30', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-24T00:30:00.000Z'],
    ['America/New_York', '01:30', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z', '2026-10-31T05:30:00.000Z'],
  ])('%s: a %s digest on the night clocks go back is sent once, at the later of the two', (zone, time, earlier, later, dayBefore) => {
    const schedule = daily(zone, time);
    // At the first reading of that time nothing is due yet...
    expect(shown(currentDigestPeriod(schedule, at(earlier)))).toEqual({ start: dayBefore, end: later, key: `daily:${later.slice(0, 10)}` });
    expect(lastEndedDigestPeriod(schedule, at(earlier)).end.toISOString()).toBe(dayBefore);
    // ...at the second it is, and the period was 25 hours long.
    const due = lastEndedDigestPeriod(schedule, at(later));
    expect(shown(due)).toEqual({ start: dayBefore, end: later, key: `daily:${later.slice(0, 10)}` });
    expect(due.end.getTime() - due.start.getTime()).toBe(25 * HOUR);
  });

  test('a day a zone skipped whole still leaves one digest per period, keyed by the day that happened', () => {
    // Samoa moved across the date line: 30 December 2011 never happened in Pacific/Apia.
    const schedule = daily('Pacific/Apia', '08:00');
    const keys = new Set<string>();
    for (let now = Date.parse('2011-12-28T00:00:00Z'); now < Date.parse('2012-01-03T00:00:00Z'); now += HOUR) {
      const period = lastEndedDigestPeriod(schedule, new Date(now));
      expect(period.end.getTime()).toBeGreaterThan(period.start.getTime());
      keys.add(period.key);
    }
    expect([...keys].sort()).not.toContain('daily:2011-12-30');
    expect([...keys].sort()).toContain('daily:2011-12-31');
  });
});

describe('a weekly digest on a weekday', () => {
  test('across the week clocks go forward in Paris: Monday 09:00 to Monday 09:00 is 167 hours', () => {
    const schedule: DigestSchedule = { cadence: 'weekly', weekday: 'mon', at: '09:00', timeZone: 'Europe/Paris' };
    const period = currentDigestPeriod(schedule, at('2026-03-29T12:00:00Z'));
    expect(shown(period)).toEqual({ start: '2026-03-23T08:00:00.000Z', end: '2026-03-30T07:00:00.000Z', key: 'weekly:2026-03-30' });
    expect(period.end.getTime() - period.start.getTime()).toBe(167 * HOUR);
    expect(nextDigestDue(schedule, at('2026-03-30T07:00:00Z')).toISOString()).toBe('2026-04-06T07:00:00.000Z');
  });

  test('across the week clocks go back in New York: Sunday 01:30 is sent at its later instant, 169 hours after the last', () => {
    const schedule: DigestSchedule = { cadence: 'weekly', weekday: 'sun', at: '01:30', timeZone: 'America/New_York' };
    expect(shown(currentDigestPeriod(schedule, at('2026-11-01T05:45:00Z')))).toEqual({
      start: '2026-10-25T05:30:00.000Z',
      end: '2026-11-01T06:30:00.000Z',
      key: 'weekly:2026-11-01',
    });
    const due = lastEndedDigestPeriod(schedule, at('2026-11-01T06:30:00Z'));
    expect(due.key).toBe('weekly:2026-11-01');
    expect(due.end.getTime() - due.start.getTime()).toBe(169 * HOUR);
    expect(nextDigestDue(schedule, at('2026-11-01T06:30:00Z')).toISOString()).toBe('2026-11-08T06:30:00.000Z');
  });

  test('the weekday is the business’s: Monday 00:15 in Paris is still Sunday in UTC', () => {
    const schedule: DigestSchedule = { cadence: 'weekly', weekday: 'mon', at: '00:15', timeZone: 'Europe/Paris' };
    expect(nextDigestDue(schedule, at('2026-07-05T20:00:00Z')).toISOString()).toBe('2026-07-05T22:15:00.000Z');
  });
});

describe('never twice per period, never skipped', () => {
  const TEN_MINUTES = 600_000;
  test.each([
    ['Europe/Paris', '02:30', '2026-03-25', '2026-04-02', '2026-10-21', '2026-10-29'],
    ['America/New_York', '01:30', '2026-03-04', '2026-03-12', '2026-10-28', '2026-11-05'],
    ['America/New_York', '02:30', '2026-03-04', '2026-03-12', '2026-10-28', '2026-11-05'],
  ])('%s at %s: a clock read every ten minutes across both 2026 changes sees each day’s digest once, periods end to end', (zone, time, ...ranges) => {
    const schedule = daily(zone, time);
    for (const [from, to] of [ranges.slice(0, 2), ranges.slice(2, 4)] as Array<[string, string]>) {
      const keys: string[] = [];
      let previous: DigestPeriod | null = null;
      for (let now = Date.parse(`${from}T00:00:00Z`); now < Date.parse(`${to}T00:00:00Z`); now += TEN_MINUTES) {
        const due = lastEndedDigestPeriod(schedule, new Date(now));
        const current = currentDigestPeriod(schedule, new Date(now));
        expect(due.end.getTime()).toBeLessThanOrEqual(now);
        expect(current.start.getTime()).toBe(due.end.getTime());
        expect(current.end.getTime()).toBeGreaterThan(now);
        if (previous !== null && previous.key !== due.key) {
          expect(due.start.getTime()).toBe(previous.end.getTime());
          keys.push(due.key);
        }
        if (previous === null) keys.push(due.key);
        previous = due;
      }
      const days = keys.map((key) => Date.parse(key.slice('daily:'.length)));
      for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBe(24 * HOUR);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

test('a time of day that is not HH:MM is refused, naming it', () => {
  expect(() => nextDigestDue(daily('Europe/Paris', '24:00'), at('2026-07-01T00:00:00Z'))).toThrow('must be a time "HH:MM" between 00:00 and 23:59, got "24:00"');
  expect(() => nextDigestDue(daily('Europe/Paris', '8:00'), at('2026-07-01T00:00:00Z'))).toThrow(RangeError);
});
