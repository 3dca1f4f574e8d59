import type { Kysely, Transaction } from 'kysely';
import {
  findActiveApiKey,
  findAssignablePerson,
  lockItemInScope,
  setItemAnswered,
  setItemAssignee,
  setItemReopened,
  setItemResolved,
  type ItemAssignee,
  type LockedItem,
} from '../../db/repositories/item-actions.ts';
import { insertItemEvents, type ItemEventType } from '../../db/repositories/item-events.ts';
import { getItem, type ItemDetailRecord } from '../../db/repositories/item-queries.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Database } from '../../db/schema.ts';
import { answerTime, earliest, firstResponseAfter, storedFirstResponse } from './first-response.ts';
import { nextStatus } from './item-status.ts';

export { AnswerBeforePublication, AnswerInTheFuture } from './first-response.ts';
export { ItemTransitionRefused } from './item-status.ts';

export interface ItemAction {
  /** Who did it, as shown in the timeline: the API key's name, or the person's display name (else email). */
  actor: string;
  note?: string | undefined;
}

/**
 * An assignment named an id that is neither an active API key of the account nor a
 * person of the account who works this item's business (owners and staff do; a
 * consultant only reads).
 */
export class UnknownAssignee extends Error {
  constructor() {
    super('not an active API key of this account, nor a person of it who can work on this item');
    this.name = 'UnknownAssignee';
  }
}

/** Who an item is given to: an API key or a person of the account, by id; a name as typed; or nobody. */
export type AssignTo = { id: string } | { name: string } | null;

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
 * Gives the item to someone: an API key of the account or a person of the account (by
 * id; shown under the key's name, or the person's display name or email), or a person
 * named by text. null unassigns. A person given the item finds it under "Mine".
 */
export async function assignItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; to: AssignTo }): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx, item) => {
    const assignee = action.to === null ? null : 'id' in action.to ? await assigneeById(trx, scope.accountId, item.business_id, action.to.id) : { name: action.to.name, keyId: null, userId: null };
    await setItemAssignee(trx, itemId, assignee);
    const data =
      assignee === null
        ? { to: null }
        : { to: assignee.name, ...(assignee.keyId !== null && { keyId: assignee.keyId }), ...(assignee.userId !== null && { userId: assignee.userId }) };
    await recordEvent(trx, scope.accountId, itemId, assignee === null ? 'unassigned' : 'assigned', action.actor, data);
  });
}

async function assigneeById(trx: Tx, accountId: string, businessId: string, id: string): Promise<ItemAssignee> {
  const key = await findActiveApiKey(trx, accountId, id);
  if (key !== undefined) return { name: key.name, keyId: key.id, userId: null };
  const person = await findAssignablePerson(trx, accountId, id);
  const works = person !== undefined && person.role !== 'consultant' && (person.businessIds === null || person.businessIds.includes(businessId));
  if (!works) throw new UnknownAssignee();
  return { name: person.name, keyId: null, userId: person.id };
}

/** Adds a note to the timeline, so nobody has to ask the customer twice. */
export async function addItemNote(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; text: string }): ActionResult {
  return onLockedItem(db, scope, itemId, async (trx) => {
    await recordEvent(trx, scope.accountId, itemId, 'note', action.actor, { note: action.text });
  });
}
