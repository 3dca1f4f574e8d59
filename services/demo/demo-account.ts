import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import { deleteAccount, listAccountIdsNamed } from '../../db/repositories/accounts.ts';
import { releaseAdvisoryLock, tryAdvisoryLock } from '../../db/repositories/advisory-locks.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import type { Database } from '../../db/schema.ts';
import { deleteWatched } from '../sources/delete-watched.ts';

/**
 * The account `earshot demo` makes for each run. Its name is what recognises it: the
 * demo removes it when it ends, and any start removes what an interrupted demo left.
 * `earshot keys create` never names a new account this (it is reserved).
 */
export const DEMO_ACCOUNT = 'Earshot demo';

// An arbitrary constant: held by a running demo for its whole life, so another start leaves its account alone.
const LIVE_DEMO_LOCK = 7_241_002;

/**
 * Marks a demo as running until the returned function is called, or returns undefined
 * when another demo already runs on this database. The lock is a PostgreSQL session
 * lock: a demo killed hard loses its connection, and with it the lock.
 */
export async function holdDemoLock(db: Db): Promise<(() => Promise<void>) | undefined> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: (got: boolean) => void;
  const got = new Promise<boolean>((resolve) => (answered = resolve));
  const holding = db.connection().execute(async (conn) => {
    const locked = await tryAdvisoryLock(conn, LIVE_DEMO_LOCK);
    answered(locked);
    if (!locked) return;
    await released;
    await releaseAdvisoryLock(conn, LIVE_DEMO_LOCK);
  });
  // A failed query rejects `holding` before `got` is answered.
  if (!(await Promise.race([got, holding.then(() => false)]))) return undefined;
  return async () => {
    release();
    await holding;
  };
}

/** Deletes a demo account's businesses (with their sources and items) the way the API does, then the account and its key. */
export async function removeDemoAccount(db: Kysely<Database>, accountId: string): Promise<number> {
  const scope = { accountId, businessIds: null };
  let sources = 0;
  const businesses = await listBusinesses(db, scope);
  for (const { id } of businesses) {
    const outcome = await deleteWatched(db, scope, { kind: 'business', id }, id);
    if (outcome.outcome === 'deleted') sources += outcome.removed.sources;
  }
  await deleteAccount(db, accountId);
  return sources;
}

/**
 * Removes what demos killed before they could clean up left behind — every account
 * named `DEMO_ACCOUNT` — unless a demo is running right now. Returns how many sources
 * went (0 when none were left, or a demo is running).
 */
export async function removeDemoLeftovers(db: Db): Promise<number> {
  return db.connection().execute(async (conn) => {
    if (!(await tryAdvisoryLock(conn, LIVE_DEMO_LOCK))) return 0;
    try {
      let sources = 0;
      for (const id of await listAccountIdsNamed(conn, DEMO_ACCOUNT)) sources += await removeDemoAccount(conn, id);
      return sources;
    } finally {
      await releaseAdvisoryLock(conn, LIVE_DEMO_LOCK);
    }
  });
}
