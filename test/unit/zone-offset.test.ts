import { describe, expect, test } from 'vitest';
import { wallTimeToInstant, zoneOffsetMs } from '../../services/response-times/zone-offset.ts';

/** A wall-clock time written as if it were UTC, as the module takes it. */
const wall = (iso: string) => Date.parse(`${iso}Z`);
const instant = (zone: string, iso: string) => new Date(wallTimeToInstant(zone, wall(iso))).toISOString();

describe('the one rule for wall-clock times a clock change makes odd', () => {
  test.each([
    // zone, wall time repeated when clocks go back, the earlier instant, the later instant
    ['Europe/Paris', '2026-10-25T02:30:00', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['Europe/London', '2026-10-25T01:30:00', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['America/New_York', '2026-11-01T01:30:00', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ['America/Los_Angeles', '2025-11-02T01:30:00', '2025-11-02T08:30:00.000Z', '2025-11-02T09:30:00.000Z'],
    ['Australia/Sydney', '2026-04-05T02:30:00', '2026-04-04T15:30:00.000Z', '2026-04-04T16:30:00.000Z'],
  ])('%s %s happens twice: the later instant, never the earlier', (zone, time, earlier, later) => {
    expect(instant(zone, time)).toBe(later);
    expect(instant(zone, time)).not.toBe(earlier);
  });

  test.each([
    // zone, wall time skipped when clocks go forward, read with the offset before the change
    ['Europe/Paris', '2026-03-29T02:30:00', '2026-03-29T01:30:00.000Z'],
    ['Europe/London', '2026-03-29T01:30:00', '2026-03-29T01:30:00.000Z'],
    ['America/New_York', '2026-03-08T02:30:00', '2026-03-08T07:30:00.000Z'],
    ['America/Los_Angeles', '2026-03-08T02:30:00', '2026-03-08T10:30:00.000Z'],
    ['Australia/Sydney', '2026-10-04T02:30:00', '2026-10-03T16:30:00.000Z'],
  ])('%s %s never happens: read with the offset before the change', (zone, time, expected) => {
    expect(instant(zone, time)).toBe(expected);
  });

  test('an ordinary time has one instant, and every time that happens reads back as itself', () => {
    expect(instant('Europe/Paris', '2026-07-01T12:00:00')).toBe('2026-07-01T10:00:00.000Z');
    const skipped = new Set(['2026-03-29T02:00:00', '2026-03-29T02:15:00', '2026-03-29T02:30:00', '2026-03-29T02:45:00']);
    for (const day of ['2026-03-29', '2026-10-25']) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const wallMs = wall(day) + minutes * 60_000;
        if (skipped.has(new Date(wallMs).toISOString().slice(0, 19))) continue;
        const at = wallTimeToInstant('Europe/Paris', wallMs);
        expect(at + zoneOffsetMs('Europe/Paris', at), new Date(wallMs).toISOString()).toBe(wallMs);
      }
    }
  });
});
