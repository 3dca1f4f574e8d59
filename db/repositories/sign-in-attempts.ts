import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** Failed sign-ins in the last `windowSeconds`, for this email (any case) and from this address. */
export async function countRecentFailures(db: Db, email: string, address: string, windowSeconds: number): Promise<{ email: number; address: number }> {
  const since = sql<Date>`now() - make_interval(secs => ${windowSeconds})`;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('sign_in_attempts')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .where('succeeded', '=', false)
        .where('at', '>', since)
        .as('by_email'),
      eb
        .selectFrom('sign_in_attempts')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .where('address', '=', address)
        .where('succeeded', '=', false)
        .where('at', '>', since)
        .as('by_address'),
    ])
    .executeTakeFirstOrThrow();
  return { email: Number(row.by_email), address: Number(row.by_address) };
}

/** Notes an attempt; attempts older than a day no longer count for anything and are dropped. */
export async function recordSignInAttempt(db: Db, attempt: { email: string; address: string; succeeded: boolean }): Promise<void> {
  await db.insertInto('sign_in_attempts').values({ email: attempt.email.slice(0, 320), address: attempt.address, succeeded: attempt.succeeded }).execute();
  await db.deleteFrom('sign_in_attempts').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** A successful sign-in (or a password reset) clears the email's failures, so the person is not locked out later. */
export async function forgetFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where(sql<string>`lower(email)`, '=', email.toLowerCase()).where('succeeded', '=', false).execute();
}
