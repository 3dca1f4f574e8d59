import { expect, test } from 'vitest';
import { reReviewRefusal } from '../../services/inbox/re-review-request.ts';

const since = new Date('2026-11-30T10:00:00Z');

test.each(['open', 'responded'])('a %s item is not asked for a re-review: the fix comes first', (status) => {
  expect(reReviewRefusal(status, undefined)).toEqual({ refused: 'not_resolved', status });
});

test('a resolved item with an open request is not asked twice', () => {
  expect(reReviewRefusal('resolved', since)).toEqual({ refused: 'already_pending', since });
});

test('a resolved item without an open request may be asked', () => {
  expect(reReviewRefusal('resolved', undefined)).toBeNull();
});
