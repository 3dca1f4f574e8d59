import type { Kysely, Transaction } from 'kysely';
import {
  findActiveApiKey,
  lockItemInScope,
  setItemAnswered,
  setItemAssignee,
  setItemReopened,
  setItemResolved,
  type LockedItem,
} from '../../db/repositories/item-actions.ts';
import { insertItemEvents, type ItemEventType } from '../../db/repositories/item-events.ts';
import { getItem, type ItemDetailRecord } from '../../db/repositories/item-queries.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database } from '../../db/schema.ts';
import { answerTime, earliest, firstResponseAfter, storedFirstResponse } from './first-response.ts';
import { nextStatus } from './item-status.ts';

export { AnswerBeforePublication } from './first-response.ts';
export { ItemTransitionRefused } from './item-status.ts';

export interface ItemAction {
  /** Who did it, as shown in the timeline: the API key's name. */
  actor: string;
  note?: string | undefined;
}

/** An assignment named an API key that is not an active key of the account. */
export class UnknownAssignee extends Error {
  constructor() {
    super('not an active API key of this account');
    this.name = 'UnknownAssignee';
  }
}

type Tx = Transaction<Database>;

/** The item as it now is, or undefined when it is not in the caller's scope. */
type ActionResult = Promise<ItemDetailRecord | undefined>;

async function recordEvent(trx: Tx, accountId: string, itemId: string, type: ItemEventType, actor: string, data: Record<string, unknown>, at?: Date): Promise<void> {
  await insertItemEvents(trx, [{ itemId, accountId, type, actor, data, ...(at && { at }) }]);
}

function noteData(action: ItemAction): Record<string, unknown> {
  return action.note === undefined ? {} : { note: action.note };
}

/**
 * Every action's transaction: lock the item in the caller's scope, act on it, and answer
 * with the item as it now is; undefined, with nothing done, when it is out of scope.
 */
function onLockedItem(db: Kysely<Database>, scope: TenantScope, itemId: string, act: (trx: Tx, item: LockedItem) => Promise<void>): ActionResult {
  return db.transaction().execute(async (trx) => {
    const item = await lockItemInScope(trx, scope, itemId);
    if (item === undefined) return undefined;
    await act(trx, item);
    return getItem(trx, scope, itemId);
  });
}

/**
 * Marks an item answered. `at` is when the answer really happened (a phone call an
 * hour ago); it may not precede publication. The earliest answer is kept, whoever
 * gave it (an owner reply seen on the platform counts too), so response-time
 * figures measure the first answer. A resolved item stays resolved.
 */
export async function respondToItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: ItemAction & { at?: Date | undefined }): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx, item) => {
    const at = answerTime(action.at, item.published_at, new Date());
    const first = firstResponseAfter(storedFirstResponse(item), { at, source: 'earshot' });
    await setItemAnswered(trx, itemId, {
      status: nextStatus(item.status, { kind: 'respond' }),
      respondedAt: earliest(item.responded_at, at),
      firstResponseAt: first.at,
      firstResponseSource: first.source,
    });
    // Dated when it happened, so the timeline reads in order; `recordedAt` says when it was entered.
    const data = action.at === undefined ? noteData(action) : { ...noteData(action), recordedAt: new Date().toISOString() };
    await recordEvent(trx, scope.accountId, itemId, 'responded', action.actor, data, at);
  });
}

/**
 * Marks an item's problem fixed. It does not invent a response: an item resolved
 * without an answer stays unanswered in response-time figures. Resolving again only
 * adds to the timeline.
 */
export async function resolveItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: ItemAction): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx, item) => {
    // Every status may be resolved today; asking the machine keeps a future refusal here.
    nextStatus(item.status, { kind: 'resolve' });
    await setItemResolved(trx, itemId);
    await recordEvent(trx, scope.accountId, itemId, 'resolved', action.actor, noteData(action));
  });
}

/** The fix did not hold: see `nextStatus` for where a reopened item goes. */
export async function reopenItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; reason: string }): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx, item) => {
    const status = nextStatus(item.status, { kind: 'reopen', answered: item.first_response_at !== null || item.responded_at !== null });
    await setItemReopened(trx, itemId, status);
    await recordEvent(trx, scope.accountId, itemId, 'reopened', action.actor, { reason: action.reason, status });
  });
}

/**
 * Gives the item to someone: an API key of the account (by id; shown under its
 * name) or a person named by text. null unassigns.
 */
export async function assignItem(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  action: { actor: string; to: { keyId: string } | { name: string } | null },
): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx) => {
    let assignee: { name: string; keyId: string | null } | null = null;
    if (action.to !== null && 'keyId' in action.to) {
      const key = await findActiveApiKey(trx, scope.accountId, action.to.keyId);
      if (key === undefined) throw new UnknownAssignee();
      assignee = { name: key.name, keyId: key.id };
    } else if (action.to !== null) {
      assignee = { name: action.to.name, keyId: null };
    }
    await setItemAssignee(trx, itemId, assignee);
    const data = assignee === null ? { to: null } : { to: assignee.name, ...(assignee.keyId && { keyId: assignee.keyId }) };
    await recordEvent(trx, scope.accountId, itemId, assignee === null ? 'unassigned' : 'assigned', action.actor, data);
  });
}

/** Adds a note to the timeline, so nobody has to ask the customer twice. */
export async function addItemNote(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; text: string }): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx) => {
    await recordEvent(trx, scope.accountId, itemId, 'note', action.actor, { note: action.text });
  });
}
