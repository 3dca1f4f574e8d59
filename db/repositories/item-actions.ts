import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ItemStatus } from '../schema.ts';
import { insertItemEvents } from './item-events.ts';
import { getItem, type ItemDetailRecord } from './item-queries.ts';
import { inBusinessScope, type TenantScope } from './tenant-scope.ts';

export interface ItemAction {
  /** Who did it, as shown in the timeline: the API key's name. */
  actor: string;
  note?: string | undefined;
}

/** Why an action on an item that exists in scope was not carried out. */
export type ActionRefusal =
  | { refused: 'before_published'; publishedAt: Date }
  | { refused: 'not_resolved'; status: ItemStatus }
  | { refused: 'unknown_key' };

/** The item as it now is; undefined when it is not in the caller's scope; or why nothing changed. */
export type ActionOutcome = ItemDetailRecord | ActionRefusal | undefined;

export function isRefusal(outcome: ActionOutcome): outcome is ActionRefusal {
  return outcome !== undefined && 'refused' in outcome;
}

type Tx = Transaction<Database>;

/** The item's row, locked for the rest of the transaction, or undefined outside the scope. */
async function lockItem(trx: Tx, scope: TenantScope, itemId: string) {
  return trx
    .selectFrom('items')
    .select(['id', 'status', 'published_at', 'responded_at', 'first_response_at'])
    .where('id', '=', itemId)
    .where('account_id', '=', scope.accountId)
    .where(inBusinessScope('items.business_id', scope))
    .forUpdate()
    .executeTakeFirst();
}

async function recordEvent(trx: Tx, accountId: string, itemId: string, type: string, actor: string, data: Record<string, unknown>, at?: Date): Promise<void> {
  await insertItemEvents(trx, [{ itemId, accountId, type, actor, data, ...(at && { at }) }]);
}

function noteData(action: ItemAction): Record<string, unknown> {
  return action.note === undefined ? {} : { note: action.note };
}

/**
 * Marks an item answered. `at` is when the answer really happened (a phone call an
 * hour ago); it may not precede publication. The earliest answer is kept, whoever
 * gave it (an owner reply seen on the platform counts too), so response-time
 * figures measure the first answer. A resolved item stays resolved.
 */
export async function respondToItem(
  db: Kysely<Database>,
  scope: TenantScope,
  itemId: string,
  action: ItemAction & { at?: Date | undefined },
): Promise<ActionOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, scope, itemId);
    if (item === undefined) return undefined;
    if (action.at !== undefined && item.published_at !== null && action.at < item.published_at) {
      return { refused: 'before_published', publishedAt: item.published_at };
    }
    const at = action.at ?? new Date();
    const earlierThanKnown = item.first_response_at === null || at < item.first_response_at;
    await trx
      .updateTable('items')
      .set({
        status: item.status === 'new' ? 'responded' : item.status,
        responded_at: item.responded_at === null || at < item.responded_at ? at : item.responded_at,
        first_response_at: earlierThanKnown ? at : item.first_response_at,
        first_response_source: earlierThanKnown ? 'earshot' : sql`first_response_source`,
        updated_at: sql`now()`,
      })
      .where('id', '=', itemId)
      .execute();
    // Dated when it happened, so the timeline reads in order; `recordedAt` says when it was entered.
    const data = action.at === undefined ? noteData(action) : { ...noteData(action), recordedAt: new Date().toISOString() };
    await recordEvent(trx, scope.accountId, itemId, 'responded', action.actor, data, at);
    return getItem(trx, scope, itemId);
  });
}

/**
 * Marks an item's problem fixed. It does not invent a response: an item resolved
 * without an answer stays unanswered in response-time figures. The resolution time
 * is kept while the item stays resolved; resolving again only adds to the timeline.
 */
export async function resolveItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: ItemAction): Promise<ActionOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, scope, itemId);
    if (item === undefined) return undefined;
    await trx
      .updateTable('items')
      .set({ status: 'resolved', resolved_at: sql`coalesce(resolved_at, now())`, updated_at: sql`now()` })
      .where('id', '=', itemId)
      .execute();
    await recordEvent(trx, scope.accountId, itemId, 'resolved', action.actor, noteData(action));
    return getItem(trx, scope, itemId);
  });
}

/**
 * The fix did not hold: a resolved item goes back to `responded` when it was
 * answered, else to `new`, and its resolution time is cleared so the next
 * `resolve` dates the real fix. Only a resolved item can be reopened; answers
 * are facts and are never undone.
 */
export async function reopenItem(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; reason: string }): Promise<ActionOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, scope, itemId);
    if (item === undefined) return undefined;
    if (item.status !== 'resolved') return { refused: 'not_resolved', status: item.status };
    const status = item.first_response_at === null && item.responded_at === null ? 'new' : 'responded';
    await trx.updateTable('items').set({ status, resolved_at: null, updated_at: sql`now()` }).where('id', '=', itemId).execute();
    await recordEvent(trx, scope.accountId, itemId, 'reopened', action.actor, { reason: action.reason, status });
    return getItem(trx, scope, itemId);
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
): Promise<ActionOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, scope, itemId);
    if (item === undefined) return undefined;
    let assignee: { name: string; keyId: string | null } | null = null;
    if (action.to !== null && 'keyId' in action.to) {
      const key = await trx
        .selectFrom('api_keys')
        .select(['id', 'name'])
        .where('id', '=', action.to.keyId)
        .where('account_id', '=', scope.accountId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (key === undefined) return { refused: 'unknown_key' };
      assignee = { name: key.name, keyId: key.id };
    } else if (action.to !== null) {
      assignee = { name: action.to.name, keyId: null };
    }
    await trx
      .updateTable('items')
      .set({ assignee: assignee?.name ?? null, assignee_key_id: assignee?.keyId ?? null, updated_at: sql`now()` })
      .where('id', '=', itemId)
      .execute();
    const data = assignee === null ? { to: null } : { to: assignee.name, ...(assignee.keyId && { keyId: assignee.keyId }) };
    await recordEvent(trx, scope.accountId, itemId, assignee === null ? 'unassigned' : 'assigned', action.actor, data);
    return getItem(trx, scope, itemId);
  });
}

/** Adds a note to the timeline, so nobody has to ask the customer twice. */
export async function addItemNote(db: Kysely<Database>, scope: TenantScope, itemId: string, action: { actor: string; text: string }): Promise<ActionOutcome> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, scope, itemId);
    if (item === undefined) return undefined;
    await recordEvent(trx, scope.accountId, itemId, 'note', action.actor, { note: action.text });
    return getItem(trx, scope, itemId);
  });
}
