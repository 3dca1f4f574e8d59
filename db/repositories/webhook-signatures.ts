import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Records that `signature` was accepted for the source; false when it already was.
 * One INSERT … ON CONFLICT DO NOTHING: of any number of simultaneous copies exactly one
 * gets its row back. Rows older than `keepSeconds` are dropped first (they can no longer
 * pass the timestamp check, so remembering them protects nothing).
 */
export async function claimWebhookSignature(db: Db, sourceId: string, signature: string, keepSeconds: number): Promise<boolean> {
  await db
    .deleteFrom('webhook_signatures_seen')
    .where('source_id', '=', sourceId)
    .where('seen_at', '<', sql<Date>`now() - make_interval(secs => ${keepSeconds})`)
    .execute();
  const claimed = await db
    .insertInto('webhook_signatures_seen')
    .values({ source_id: sourceId, signature })
    .onConflict((conflict) => conflict.doNothing())
    .returning('signature')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Forgets a claimed signature whose request could not be stored, so the sender may retry it. */
export async function releaseWebhookSignature(db: Db, sourceId: string, signature: string): Promise<void> {
  await db.deleteFrom('webhook_signatures_seen').where('source_id', '=', sourceId).where('signature', '=', signature).execute();
}
