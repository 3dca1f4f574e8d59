import { describe, expect, it } from 'vitest';
import { slaStatus, type SlaItem } from '../../services/inbox/sla-status.ts';
import { CALENDAR_CLOCK, openingClock } from '../../services/response-times/opening-clock.ts';

const t = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

function item(overrides: Partial<SlaItem> = {}): SlaItem {
  return { publishedAt: t('2026-03-02T09:00:00Z'), firstSeenAt: t('2026-03-02T09:30:00Z'), firstResponseAt: null, repliable: true, ...overrides };
}

describe('the SLA badge rule', () => {
  const calendar = { slaHours: 24, clock: CALENDAR_CLOCK };

  it('counts from publication: time left while within the SLA', () => {
    expect(slaStatus(item(), calendar, t('2026-03-02T19:00:00Z'))).toEqual({ kind: 'open', leftMs: 14 * HOUR, slaMs: 24 * HOUR });
  });

  it('counts from the first sighting when the platform gives no date', () => {
    expect(slaStatus(item({ publishedAt: null }), calendar, t('2026-03-02T19:30:00Z'))).toMatchObject({ kind: 'open', leftMs: 14 * HOUR });
  });

  it('is overdue only once strictly past the SLA, as the report counts it', () => {
    expect(slaStatus(item(), calendar, t('2026-03-03T09:00:00Z'))).toEqual({ kind: 'open', leftMs: 0, slaMs: 24 * HOUR });
    expect(slaStatus(item(), calendar, t('2026-03-03T12:00:00Z'))).toEqual({ kind: 'overdue', overMs: 3 * HOUR, slaMs: 24 * HOUR });
  });

  it('shows no countdown once answered, whoever answered, even when resolved late', () => {
    expect(slaStatus(item({ firstResponseAt: t('2026-03-05T00:00:00Z') }), calendar, t('2026-03-09T00:00:00Z'))).toEqual({ kind: 'answered' });
  });

  it('leaves out items whose platform takes no reply', () => {
    expect(slaStatus(item({ repliable: false }), calendar, t('2026-03-09T00:00:00Z'))).toEqual({ kind: 'not_measured' });
  });

  it('counts only opening hours, in the business time zone', () => {
    // Open 09:00-17:00 Paris time on weekdays; 2026-03-06 is a Friday, Paris is UTC+1.
    const weekdays = { open: '09:00', close: '17:00' };
    const clock = openingClock('Europe/Paris', { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] });
    const terms = { slaHours: 8, clock };
    // Published Friday 15:00 Paris: 2 open hours on Friday, none at the weekend.
    const friday = item({ publishedAt: t('2026-03-06T14:00:00Z') });
    expect(slaStatus(friday, terms, t('2026-03-08T20:00:00Z'))).toMatchObject({ kind: 'open', leftMs: 6 * HOUR });
    // Monday 12:00 Paris: 2 + 3 open hours.
    expect(slaStatus(friday, terms, t('2026-03-09T11:00:00Z'))).toMatchObject({ kind: 'open', leftMs: 3 * HOUR });
    // Monday 16:00 Paris: 2 + 7 open hours, one past the SLA.
    expect(slaStatus(friday, terms, t('2026-03-09T15:00:00Z'))).toEqual({ kind: 'overdue', overMs: HOUR, slaMs: 8 * HOUR });
  });
});
