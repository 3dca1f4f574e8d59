import { describe, expect, test } from 'vitest';
import { decideSend } from '../../services/replies/send-decision.ts';

const shown = (text: string, platformReplyId: string | null = null) => ({ text, at: new Date('2026-03-01T11:00:00Z'), platformReplyId });

describe('what the sender does with what the platform shows', () => {
  test('a first reply is published only where there is no owner reply', () => {
    expect(decideSend('Sorry.', null, null)).toEqual({ kind: 'publish', replacing: undefined });
    expect(decideSend('Sorry.', null, shown('The manager answered.'))).toMatchObject({ kind: 'stop', shown: shown('The manager answered.') });
  });

  test('our own words already there are an earlier attempt that got through, whatever the spacing', () => {
    expect(decideSend('Sorry,  Pat.\nSee you.', null, shown(' Sorry, Pat. See you. '))).toMatchObject({ kind: 'already_published' });
    expect(decideSend('New words.', { text: 'Old words.', platformReplyId: null }, shown('New words.'))).toMatchObject({ kind: 'already_published' });
  });

  test('a change is published over the reply it replaces, known by id where the platform has one, else by its words', () => {
    expect(decideSend('New.', { text: 'Old.', platformReplyId: null }, shown('Old.'))).toEqual({ kind: 'publish', replacing: shown('Old.') });
    expect(decideSend('New.', { text: 'Old.', platformReplyId: 'at://post/1' }, shown('Old, edited.', 'at://post/1'))).toMatchObject({ kind: 'publish' });
    expect(decideSend('New.', { text: 'Old.', platformReplyId: 'at://post/1' }, shown('Old.', 'at://post/2'))).toMatchObject({ kind: 'stop' });
  });

  test('a change stops when the reply it replaces was changed or removed on the platform', () => {
    expect(decideSend('New.', { text: 'Old.', platformReplyId: null }, shown('Someone else’s.'))).toMatchObject({ kind: 'stop', reason: expect.stringContaining('no longer the one') });
    expect(decideSend('New.', { text: 'Old.', platformReplyId: null }, null)).toMatchObject({ kind: 'stop', reason: expect.stringContaining('removed'), shown: null });
  });
});
