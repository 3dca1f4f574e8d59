import type { Db } from '../../db/database.ts';
import type { ApiKeyRecord } from '../../db/repositories/api-keys.ts';
import type { Role } from '../../db/schema.ts';
import { checkBusinessScope } from '../people/business-scope.ts';
import { createApiKey } from './create-api-key.ts';

/** A key that cannot be made as asked: which field is at fault (and which entry of the list), and why. */
export class KeyRefusal extends Error {
  readonly field: 'name' | 'businessIds';
  readonly index: number | undefined;
  constructor(field: 'name' | 'businessIds', message: string, index?: number) {
    super(message);
    this.name = 'KeyRefusal';
    this.field = field;
    this.index = index;
  }
}

/**
 * An owner makes a key for their account, from the API or the People & keys page:
 * a name that is not blank (it names the key in timelines), and a scope of the
 * account's own businesses. The secret is returned this once.
 */
export async function createAccountKey(
  db: Db,
  input: { accountId: string; role: Role; name: string; businessIds?: readonly string[] | null },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const name = input.name.trim();
  if (name === '') throw new KeyRefusal('name', 'must not be blank');
  if (name.length > 100) throw new KeyRefusal('name', 'must be at most 100 characters');
  const scope = await checkBusinessScope(db, input.accountId, input.businessIds);
  if (scope.kind === 'not_in_account') throw new KeyRefusal('businessIds', 'is not a business of this account', scope.index);
  const { key, record } = await createApiKey(db, { accountId: input.accountId, role: input.role, name, businessIds: scope.businessIds });
  return { key, record };
}
