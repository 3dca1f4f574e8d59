import { sql, type RawBuilder } from 'kysely';

/**
 * What one API key may see: always one account, and optionally only some of its
 * businesses. Every query that serves a request takes a scope, so a missing
 * filter is a type error rather than a data leak.
 */
export interface TenantScope {
  readonly accountId: string;
  /** null: every business of the account. */
  readonly businessIds: readonly string[] | null;
}

/**
 * `column` is within the scope's businesses. An empty list matches nothing:
 * `= any('{}')` is false, where `in ()` would be a syntax error.
 */
export function inBusinessScope(column: string, scope: TenantScope): RawBuilder<boolean> {
  if (scope.businessIds === null) return sql<boolean>`true`;
  return sql<boolean>`${sql.ref(column)} = any(${[...scope.businessIds]}::uuid[])`;
}
