import { expect } from 'vitest';
import type { Pipeline } from './pipeline.ts';
import { waitUntil } from './wait.ts';

/**
 * Asks for a poll of the source through the API and waits until the workers have
 * finished it successfully and everything it queued (analysis, alerts) has run.
 */
export async function pollNowAndSettle(pipeline: Pipeline, sourceId: string): Promise<void> {
  const lastSuccess = async () =>
    (await pipeline.db.selectFrom('sources').select('last_success_at').where('id', '=', sourceId).executeTakeFirstOrThrow()).last_success_at?.getTime();
  const before = await lastSuccess();
  expect((await pipeline.api('POST', `/v1/sources/${sourceId}/poll`)).status).toBe(202);
  await waitUntil('the poll to succeed', async () => {
    const after = await lastSuccess();
    return after !== undefined && after !== before;
  });
  await pipeline.idle();
}
