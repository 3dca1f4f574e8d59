import { describe, expect, test } from 'vitest';
import { periodsBetween } from '../../web/pages/reports-data.ts';
import { humanDuration, percent, periodAxisLabel, periodInWords } from '../../web/pages/reports-format.ts';
import { readReportForm, reportSearch } from '../../web/pages/reports-query.ts';

const NOW = new Date('2026-12-07T15:30:00Z');

describe('report figures in words', () => {
  test('durations read at the precision that matters at their size', () => {
    expect(humanDuration(null)).toBe('—');
    expect(humanDuration(0)).toBe('0 s');
    expect(humanDuration(45)).toBe('45 s');
    expect(humanDuration(60)).toBe('1 min');
    expect(humanDuration(12 * 60 + 20)).toBe('12 min');
    expect(humanDuration(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(humanDuration(5 * 3600)).toBe('5 h');
    expect(humanDuration(59 * 60 + 50)).toBe('1 h');
    expect(humanDuration(30 * 3600 + 5 * 60)).toBe('30 h 5 min');
    expect(humanDuration(50 * 3600)).toBe('2 d 2 h');
    expect(humanDuration(72 * 3600)).toBe('3 d');
  });

  test('shares and periods', () => {
    expect(percent(null)).toBe('—');
    expect(percent(66.7)).toBe('66.7 %');
    expect(periodInWords('2026-03-02', 'week')).toBe('2 Mar 2026');
    expect(periodInWords('2026-03-01', 'month')).toBe('March 2026');
    expect(periodAxisLabel('2026-03-02', 'week')).toBe('2 Mar 2026');
    expect(periodAxisLabel('2026-12-01', 'month')).toBe('Dec 2026');
  });

  test('the periods a range touches, keyed like the API: UTC Mondays, or firsts of the month', () => {
    // Wednesday 25 Feb to Sunday 15 Mar 2026 (included).
    const from = new Date('2026-02-25T00:00:00Z');
    const toExclusive = new Date('2026-03-16T00:00:00Z');
    expect(periodsBetween(from, toExclusive, 'week')).toEqual(['2026-02-23', '2026-03-02', '2026-03-09']);
    expect(periodsBetween(from, toExclusive, 'month')).toEqual(['2026-02-01', '2026-03-01']);
    expect(periodsBetween(new Date('2026-12-28T00:00:00Z'), new Date('2027-01-05T00:00:00Z'), 'month')).toEqual(['2026-12-01', '2027-01-01']);
  });
});

describe('the report filter form', () => {
  test('unset, it is the last 90 days (today included), by week, every business, every hour', () => {
    const read = readReportForm({}, NOW);
    expect(read).toEqual({
      kind: 'ok',
      form: { business: 'all', groupBy: 'week', from: '2026-09-09', to: '2026-12-07', businessHours: false },
      request: {
        businessId: null,
        groupBy: 'week',
        businessHours: false,
        from: new Date('2026-09-09T00:00:00Z'),
        toExclusive: new Date('2026-12-08T00:00:00Z'),
      },
    });
  });

  test('each mistake names its field; an id that is not one is an unknown business', () => {
    expect(readReportForm({ from: '2026-02-29' }, NOW)).toMatchObject({ kind: 'invalid', problem: { field: 'from' } });
    expect(readReportForm({ to: '2026-12-07T10:00:00Z' }, NOW)).toMatchObject({ kind: 'invalid', problem: { field: 'to' } });
    expect(readReportForm({ from: '2026-12-08', to: '2026-12-07' }, NOW)).toMatchObject({ kind: 'invalid', problem: { field: 'to' } });
    expect(readReportForm({ groupBy: 'business' }, NOW)).toMatchObject({ kind: 'invalid', problem: { field: 'groupBy' } });
    expect(readReportForm({ business: "1' OR 1=1" }, NOW)).toMatchObject({ kind: 'unknown_business' });
    // One day is a range; ten years is the most.
    expect(readReportForm({ from: '2026-12-07', to: '2026-12-07' }, NOW).kind).toBe('ok');
    expect(readReportForm({ from: '2016-12-08', to: '2026-12-07' }, NOW).kind).toBe('ok');
  });

  test('the same report as a query string, for the CSV link', () => {
    const read = readReportForm({ groupBy: 'month', businessHours: 'on', from: '2026-01-01', to: '2026-03-31' }, NOW);
    expect(reportSearch(read.form)).toBe('business=all&groupBy=month&from=2026-01-01&to=2026-03-31&businessHours=on');
  });
});
