import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiKeysTable, Database, Role } from '../schema.ts';

export interface NewApiKey {
  accountId: string;
  role: Role;
  /** Shown as the actor in item timelines ("Front desk", "Agency reports"). */
  name: string;
  /** Limits the key to these businesses of the account; omitted or null: all of them. */
  businessIds?: readonly string[] | null;
}

export interface ActiveApiKey {
  id: string;
  accountId: string;
  role: Role;
  name: string;
  businessIds: string[] | null;
  lastUsedAt: Date | null;
}

/** How stale `last_used_at` may get: recording every request would turn reads into writes. */
export const KEY_TOUCH_INTERVAL_MS = 60_000;

/** A key as its owner may see it: everything but the secret, which is never stored. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  businessIds: string[] | null;
  /** The key's first characters, to recognise it by (`esk_Ab12Cd`). */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const RECORD_COLUMNS = ['id', 'name', 'role', 'business_ids', 'key_prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

function toRecord(row: Pick<Selectable<ApiKeysTable>, (typeof RECORD_COLUMNS)[number]>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    businessIds: row.business_ids,
    prefix: row.key_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** A new key as stored: its hash and display prefix, never the key itself. */
export interface StoredApiKey extends NewApiKey {
  keyHash: string;
  /** The key's first characters, shown to recognise it by. */
  keyPrefix: string;
}

export async function insertApiKey(db: Kysely<Database>, input: StoredApiKey): Promise<ApiKeyRecord> {
  const row = await db
    .insertInto('api_keys')
    .values({
      account_id: input.accountId,
      role: input.role,
      name: input.name,
      key_hash: input.keyHash,
      key_prefix: input.keyPrefix,
      business_ids: input.businessIds ? [...input.businessIds] : null,
    })
    .returning(RECORD_COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Every key of the account, revoked ones included, oldest first. */
export async function listKeys(db: Kysely<Database>, accountId: string): Promise<ApiKeyRecord[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(RECORD_COLUMNS)
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** A key of the account (revoked or not), or undefined: another account's keys do not exist here. */
export async function findKey(db: Kysely<Database>, accountId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(RECORD_COLUMNS)
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function findActiveKeyByHash(db: Kysely<Database>, keyHash: string): Promise<ActiveApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'account_id', 'role', 'name', 'business_ids', 'last_used_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    accountId: row.account_id,
    role: row.role,
    name: row.name,
    businessIds: row.business_ids,
    lastUsedAt: row.last_used_at,
  };
}

/** True when the key's recorded use is old enough to be worth a write. */
export function keyNeedsTouch(key: Pick<ActiveApiKey, 'lastUsedAt'>, now: Date): boolean {
  return key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= KEY_TOUCH_INTERVAL_MS;
}

/**
 * Records that a key was used. The condition repeats the interval check in SQL so
 * that concurrent requests racing past `keyNeedsTouch` write once between them.
 */
export async function touchKey(db: Kysely<Database>, keyId: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', keyId)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - make_interval(secs => ${KEY_TOUCH_INTERVAL_MS / 1000})`),
      ]),
    )
    .execute();
}

/** Revokes a key of the account; false when there is no such live key. */
export async function revokeApiKey(db: Kysely<Database>, accountId: string, keyId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type RevokeOutcome = 'revoked' | 'already_revoked' | 'not_found' | 'last_owner_key';

/**
 * Revokes a key of the account unless it is the last live owner key for the whole
 * account: without one nobody could make or revoke keys any more. The account row
 * is locked so two owners revoking each other's keys at once cannot both succeed.
 */
export async function revokeKeepingAnOwner(db: Kysely<Database>, accountId: string, keyId: string): Promise<RevokeOutcome> {
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
    const key = await findKey(tx, accountId, keyId);
    if (key === undefined) return 'not_found';
    if (key.revokedAt !== null) return 'already_revoked';
    if (key.role === 'owner' && key.businessIds === null) {
      const others = await tx
        .selectFrom('api_keys')
        .select('id')
        .where('account_id', '=', accountId)
        .where('role', '=', 'owner')
        .where('business_ids', 'is', null)
        .where('revoked_at', 'is', null)
        .where('id', '!=', keyId)
        .limit(1)
        .executeTakeFirst();
      if (others === undefined) return 'last_owner_key';
    }
    await revokeApiKey(tx, accountId, keyId);
    return 'revoked';
  });
}

/** Every key ever made, revoked ones included: zero means a fresh install. */
export async function countApiKeys(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('api_keys').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}
