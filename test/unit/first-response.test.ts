import { describe, expect, it } from 'vitest';
import { AnswerBeforePublication, AnswerInTheFuture, answerTime, earliest, firstResponseAfter, platformReplyTime, type FirstResponse } from '../../services/inbox/first-response.ts';

const t = (iso: string) => new Date(iso);
const platform = (iso: string): FirstResponse => ({ at: t(iso), source: 'platform' });
const earshot = (iso: string): FirstResponse => ({ at: t(iso), source: 'earshot' });

describe('the earliest-answer rule', () => {
  const cases: Array<[string, FirstResponse | null, FirstResponse, FirstResponse]> = [
    ['first answer ever counts', null, earshot('2026-01-02T10:00:00Z'), earshot('2026-01-02T10:00:00Z')],
    ['an earlier platform reply replaces a later respond', earshot('2026-01-02T10:00:00Z'), platform('2026-01-02T09:00:00Z'), platform('2026-01-02T09:00:00Z')],
    ['a backdated respond replaces a later platform reply', platform('2026-01-02T10:00:00Z'), earshot('2026-01-02T08:00:00Z'), earshot('2026-01-02T08:00:00Z')],
    ['a later answer only adds to the timeline', platform('2026-01-02T10:00:00Z'), earshot('2026-01-03T10:00:00Z'), platform('2026-01-02T10:00:00Z')],
    ['a tie keeps the known answer', platform('2026-01-02T10:00:00Z'), earshot('2026-01-02T10:00:00Z'), platform('2026-01-02T10:00:00Z')],
  ];
  it.each(cases)('%s', (_name, known, candidate, expected) => {
    expect(firstResponseAfter(known, candidate)).toEqual(expected);
  });

  it('keeps the earlier of two instants, the known one on a tie', () => {
    const known = t('2026-01-02T10:00:00Z');
    expect(earliest(null, known)).toBe(known);
    expect(earliest(known, t('2026-01-02T09:00:00Z'))).toEqual(t('2026-01-02T09:00:00Z'));
    expect(earliest(known, new Date(known))).toBe(known);
  });
});

describe('when an answer happened', () => {
  const now = t('2026-01-05T12:00:00Z');
  const published = t('2026-01-01T00:00:00Z');

  it('is now unless backdated', () => {
    expect(answerTime(undefined, published, now)).toBe(now);
  });

  it('may be backdated to publication, not before', () => {
    expect(answerTime(published, published, now)).toBe(published);
    expect(() => answerTime(t('2025-12-31T23:59:59Z'), published, now)).toThrow(AnswerBeforePublication);
  });

  it('may not lie ahead of now, beyond a minute of clock difference', () => {
    expect(answerTime(t('2026-01-05T12:00:59Z'), published, now)).toEqual(t('2026-01-05T12:00:59Z'));
    expect(() => answerTime(t('2026-01-05T12:01:01Z'), published, now)).toThrow(AnswerInTheFuture);
  });

  it('may be backdated freely when the platform gave no publication date', () => {
    expect(answerTime(t('2020-01-01T00:00:00Z'), null, now)).toEqual(t('2020-01-01T00:00:00Z'));
  });

  it('is the platform reply date, or when Earshot saw an undated reply', () => {
    expect(platformReplyTime(published, now)).toBe(published);
    expect(platformReplyTime(null, now)).toBe(now);
    expect(platformReplyTime(undefined, now)).toBe(now);
  });
});
