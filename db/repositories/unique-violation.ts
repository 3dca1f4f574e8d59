/** PostgreSQL's unique_violation: the row would repeat a unique key. */
const UNIQUE_VIOLATION = '23505';

/**
 * Runs a write that may hit a unique key the caller expects to be hit (a name already
 * taken), answering `instead` rather than the database error. Any other error is thrown.
 */
export async function orWhenTaken<T, R>(write: () => Promise<T>, instead: R): Promise<T | R> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION) return instead;
    throw error;
  }
}
