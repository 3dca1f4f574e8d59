import { describe, expect, test } from 'vitest';
import { businessDigestSchedule } from '../../services/alerts/digests/business-schedule.ts';
import { fitForChannels } from '../../services/alerts/digests/channel-text.ts';
import { lastEndedDigestPeriod } from '../../services/alerts/digests/digest-schedule.ts';
import { digestPeriodOfKey } from '../../services/alerts/digests/period-of-key.ts';

const HOUR = 3_600_000;
const london = (digestTime: string, cadence: 'daily' | 'weekly', digestWeekday: 'sunday' | 'monday' = 'sunday') =>
  businessDigestSchedule({ timeZone: 'Europe/London', digestTime, digestWeekday }, cadence);

describe('a business’s digest settings as a schedule', () => {
  test('the stored weekday, spelled out, is the schedule’s day', () => {
    expect(london('07:15', 'weekly', 'monday')).toEqual({ cadence: 'weekly', weekday: 'mon', at: '07:15', timeZone: 'Europe/London' });
    expect(london('07:15', 'daily')).toEqual({ cadence: 'daily', at: '07:15', timeZone: 'Europe/London' });
    // 2026-03-29 is a Sunday: a Sunday 01:30 weekly digest's period ends that day (02:30 BST, 01:30 UTC).
    expect(lastEndedDigestPeriod(london('01:30', 'weekly'), new Date('2026-03-30T12:00:00Z')).key).toBe('weekly:2026-03-29');
  });
});

describe('the period a digest covers, read back from its key', () => {
  test.each([
    ['01:30', 'daily', '2026-03-28T02:00:00Z'],
    ['01:30', 'daily', '2026-03-29T02:00:00Z'],
    ['02:30', 'daily', '2026-03-29T02:00:00Z'],
    ['01:30', 'daily', '2026-03-30T02:00:00Z'],
    ['01:30', 'daily', '2026-10-25T02:00:00Z'],
    ['00:30', 'daily', '2026-10-25T02:00:00Z'],
    ['01:30', 'daily', '2026-10-26T02:00:00Z'],
    ['01:30', 'weekly', '2026-03-29T03:00:00Z'],
    ['01:30', 'weekly', '2026-04-05T03:00:00Z'],
    ['01:30', 'weekly', '2026-10-25T03:00:00Z'],
  ] as const)('a %s %s digest gathered at %s covers what the schedule said, across clock changes', (time, cadence, gatheredAt) => {
    const schedule = london(time, cadence);
    const gathered = lastEndedDigestPeriod(schedule, new Date(gatheredAt));
    expect(digestPeriodOfKey(schedule, gathered.key)).toEqual({ start: gathered.start, end: gathered.end });
  });

  test('a day of 23 hours when clocks go forward, 25 when they go back', () => {
    const spring = digestPeriodOfKey(london('08:00', 'daily'), 'daily:2026-03-29');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * HOUR);
    const autumn = digestPeriodOfKey(london('08:00', 'daily'), 'daily:2026-10-25');
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * HOUR);
  });

  test('a key of another cadence or shape is refused', () => {
    expect(() => digestPeriodOfKey(london('08:00', 'daily'), 'weekly:2026-03-29')).toThrow(RangeError);
    expect(() => digestPeriodOfKey(london('08:00', 'daily'), 'daily:29/03/2026')).toThrow(RangeError);
  });
});

describe('a digest cut to fit chat channels', () => {
  const INBOX = 'https://earshot.example/';
  const item = (n: number, words = 'Fine, nothing special.') => [`- Google review · ★★★☆☆ (3/5) · Pat ${n} · 29 Mar`, `  "${words}"`, `  https://earshot.example/items/${n}`];
  const digest = (count: number, words?: string) =>
    ['Daily digest for Sam’s Diner', 'period', '', `${count} new.`, '', `Still unanswered (${count})`, 'Lowest stars first.', ...Array.from({ length: count }, (_, n) => item(n, words)).flat(), '', `Open the inbox: ${INBOX}`].join('\n');

  test('a digest that fits is left as it is', () => {
    const text = digest(3);
    expect(fitForChannels(text, INBOX)).toBe(text);
  });

  test('a long one is cut between items, within Slack’s 3,000 characters, and says where the rest is', () => {
    const text = digest(60);
    expect(text.length).toBeGreaterThan(3000);
    const cut = fitForChannels(text, INBOX);
    expect(cut.length).toBeLessThanOrEqual(3000);
    const lines = cut.split('\n');
    expect(lines.at(-1)).toBe(`…cut short to fit this channel: see every item in the inbox: ${INBOX}`);
    // The last item kept is whole: its link is the line before the note.
    expect(lines.at(-2)).toMatch(/^ {2}https:\/\/earshot\.example\/items\/\d+$/);
    expect(text.startsWith(lines.slice(0, -1).join('\n'))).toBe(true);
  });

  test('words of several bytes each are cut to ntfy’s 4,096 bytes too', () => {
    const text = digest(15, '美味しかったです。'.repeat(8));
    // Short enough in characters, too long in bytes.
    expect(text.length).toBeLessThan(2900);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(4096);
    const cut = fitForChannels(text, INBOX);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(4000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toContain(INBOX);
  });
});
