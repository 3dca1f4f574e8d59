import { describe, expect, it } from 'vitest';
import { ItemTransitionRefused, nextStatus, type ItemStatus, type ItemStatusAction } from '../../services/inbox/item-status.ts';

const respond: ItemStatusAction = { kind: 'respond' };
const resolve: ItemStatusAction = { kind: 'resolve' };
const reopenAnswered: ItemStatusAction = { kind: 'reopen', answered: true };
const reopenUnanswered: ItemStatusAction = { kind: 'reopen', answered: false };

describe('the item status machine', () => {
  const allowed: Array<[ItemStatus, ItemStatusAction, ItemStatus]> = [
    ['new', respond, 'responded'],
    ['responded', respond, 'responded'],
    ['resolved', respond, 'resolved'],
    ['new', resolve, 'resolved'],
    ['responded', resolve, 'resolved'],
    ['resolved', resolve, 'resolved'],
    ['resolved', reopenAnswered, 'responded'],
    ['resolved', reopenUnanswered, 'new'],
  ];
  it.each(allowed)('%s + %o → %s', (status, action, expected) => {
    expect(nextStatus(status, action)).toBe(expected);
  });

  const refused: Array<[ItemStatus, ItemStatusAction]> = [
    ['new', reopenUnanswered],
    ['responded', reopenAnswered],
  ];
  it.each(refused)('refuses to reopen an item that is %s', (status, action) => {
    let error: unknown;
    try {
      nextStatus(status, action);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ItemTransitionRefused);
    expect(error).toMatchObject({ status, action: 'reopen', message: `an item that is ${status} cannot be reopened` });
  });
});
