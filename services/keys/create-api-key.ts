import type { Kysely } from 'kysely';
import { insertApiKey, type ApiKeyRecord, type NewApiKey } from '../../db/repositories/api-keys.ts';
import type { Database } from '../../db/schema.ts';
import { generateApiKey } from './api-key-secret.ts';

/** Makes a key and stores only its hash; the key itself is returned once and never seen again. */
export async function createApiKey(db: Kysely<Database>, input: NewApiKey): Promise<{ id: string; key: string; record: ApiKeyRecord }> {
  const { key, hash, displayPrefix } = generateApiKey();
  const record = await insertApiKey(db, { ...input, keyHash: hash, keyPrefix: displayPrefix });
  return { id: record.id, key, record };
}
