import type { ItemStatus } from '../../db/schema.ts';

export type { ItemStatus };

/**
 * What moves an item through the inbox. `respond` covers a `respond` in Earshot and an
 * owner reply seen on the platform; `reopen` needs to know whether the item was ever
 * answered, because answers are facts and are never undone.
 */
export type ItemStatusAction = { kind: 'respond' } | { kind: 'resolve' } | { kind: 'reopen'; answered: boolean };

const PAST: Record<ItemStatusAction['kind'], string> = { respond: 'answered', resolve: 'resolved', reopen: 'reopened' };

/** The status machine refused an action: the item is not in a status it applies to. */
export class ItemTransitionRefused extends Error {
  readonly status: ItemStatus;
  readonly action: ItemStatusAction['kind'];
  constructor(status: ItemStatus, action: ItemStatusAction['kind']) {
    super(`an item that is ${status} cannot be ${PAST[action]}`);
    this.name = 'ItemTransitionRefused';
    this.status = status;
    this.action = action;
  }
}

/**
 * The item status machine, the only place it is written:
 * new → responded on an answer; any status → resolved; a resolved item stays resolved
 * when answered (again); only a resolved item can be reopened, and it goes back to
 * `responded` when it was answered, else to `new`.
 */
export function nextStatus(status: ItemStatus, action: ItemStatusAction): ItemStatus {
  switch (action.kind) {
    case 'respond':
      return status === 'new' ? 'responded' : status;
    case 'resolve':
      return 'resolved';
    case 'reopen':
      if (status !== 'resolved') throw new ItemTransitionRefused(status, 'reopen');
      return action.answered ? 'responded' : 'new';
  }
}
