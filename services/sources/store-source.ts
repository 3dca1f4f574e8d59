import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { insertSource, storeSourceChange, type NewSource, type SourceChange, type SourceRecord } from '../../db/repositories/sources.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { encryptCredentials, type CredentialsKey } from './credentials.ts';

// Credentials arrive plain, as the owner gave them, and are sealed here: the database only ever sees ciphertext.
function seal(key: CredentialsKey, sourceId: string, credentials: Record<string, string>): string | null {
  return Object.keys(credentials).length > 0 ? encryptCredentials(key, sourceId, credentials) : null;
}

/**
 * Stores a new source with its credentials encrypted. The id is made here, not by
 * Postgres, because the ciphertext binds it as associated data.
 */
export async function createSource(
  db: Kysely<Database>,
  credentialsKey: CredentialsKey,
  input: Omit<NewSource, 'id' | 'credentials'> & { credentials: Record<string, string> },
): Promise<SourceRecord> {
  const id = randomUUID();
  return insertSource(db, { ...input, id, credentials: seal(credentialsKey, id, input.credentials) });
}

/** Applies an owner's change (see storeSourceChange), with new credentials encrypted. */
export async function updateSource(
  db: Kysely<Database>,
  credentialsKey: CredentialsKey,
  scope: TenantScope,
  id: string,
  change: Omit<SourceChange, 'credentials'> & { credentials?: Record<string, string> },
): Promise<SourceRecord | undefined> {
  const { credentials, ...rest } = change;
  return storeSourceChange(db, scope, id, credentials === undefined ? rest : { ...rest, credentials: seal(credentialsKey, id, credentials) });
}
