import type { Db } from '../../db/database.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type BusinessScopeCheck =
  /** null: every business of the account, including ones added later. */
  | { kind: 'ok'; businessIds: string[] | null }
  /** The first id asked for that is not a business of the account (another account's reads the same as none). */
  | { kind: 'not_in_account'; index: number; id: string };

/**
 * The businesses an API key or a person is limited to: each must be a business of the
 * account, each counted once. No list, or an empty one, means every business.
 */
export async function checkBusinessScope(db: Db, accountId: string, requested: readonly string[] | null | undefined): Promise<BusinessScopeCheck> {
  if (requested === null || requested === undefined || requested.length === 0) return { kind: 'ok', businessIds: null };
  const wanted = requested.map((id) => id.trim().toLowerCase());
  const uuids = [...new Set(wanted.filter((id) => UUID.test(id)))];
  const known = new Set(uuids.length === 0 ? [] : (await listBusinesses(db, { accountId, businessIds: uuids })).map((business) => business.id));
  const index = wanted.findIndex((id) => !known.has(id));
  if (index !== -1) return { kind: 'not_in_account', index, id: requested[index] as string };
  return { kind: 'ok', businessIds: uuids };
}
