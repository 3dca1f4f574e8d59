import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnreachable } from '../../db/connection-errors.ts';
import type { Db } from '../../db/database.ts';
import { shortReason } from './error-reason.ts';
import { withoutPassword } from './safe-url.ts';
import { StartupError } from './startup-error.ts';

/**
 * Resolves once PostgreSQL answers. An unreachable server is waited for up to `withinMs`
 * (it may be booting beside Earshot); a refused password or a missing database will not
 * fix itself, so it stops start at once. Either way: one line naming what to check.
 */
export async function waitForDatabase(db: Db, url: string, withinMs: number, setting: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  const where = withoutPassword(url);
  for (;;) {
    try {
      await sql`SELECT 1`.execute(db);
      return;
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw refusal(error, where, setting);
      if (Date.now() >= deadline) {
        throw new StartupError(
          `cannot reach PostgreSQL at ${where} within ${Math.round(withinMs / 1000)} s (${shortReason(error as Error)}): check ${setting} and that PostgreSQL is running and reachable from here`,
          { cause: error },
        );
      }
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
    }
  }
}

function refusal(error: unknown, where: string, setting: string): Error {
  const code = (error as { code?: unknown }).code;
  const user = safeUser(where);
  // 28P01: wrong password; 28000: no such role or not allowed by pg_hba.conf.
  if (code === '28P01' || code === '28000') {
    return new StartupError(`PostgreSQL at ${where} refused user "${user}": check the user name and password in ${setting}`, { cause: error });
  }
  if (code === '3D000') {
    return new StartupError(`PostgreSQL at ${where} has no such database: create it (createdb) or fix the database name in ${setting}`, { cause: error });
  }
  if (error instanceof Error) return new StartupError(`PostgreSQL at ${where} cannot be used: ${error.message.split('\n')[0]} (check ${setting})`, { cause: error });
  return new StartupError(`PostgreSQL at ${where} cannot be used: ${String(error)}`);
}

function safeUser(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || '(default user)';
  } catch {
    return '(unknown)';
  }
}
