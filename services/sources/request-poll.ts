import { findConnector } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { makeDueNow } from '../../db/repositories/poll-state.ts';
import { findSource } from '../../db/repositories/sources.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import { enqueuePoll } from './enqueue-poll.ts';
import type { Queues } from '../jobs/queues.ts';

/** "Poll now": makes the source due and queues its poll. False when the source is not the account's. */
export async function requestPollNow(db: Db, queues: Queues, accountId: string, sourceId: string): Promise<boolean> {
  const slot = await makeDueNow(db, accountId, sourceId);
  if (slot === undefined) return false;
  await enqueuePoll(queues, sourceId, slot, { manual: true });
  return true;
}

/** What asking for a poll came to: queued, a source out of reach, or a push source, which has nothing to poll. */
export type PollRequestOutcome = { outcome: 'queued' } | { outcome: 'not_found' } | { outcome: 'pushed'; type: string };

/**
 * "Poll now" for a person or key with a business scope. Also polls a paused or
 * misconfigured source: that is how a fix is checked.
 */
export async function pollSourceNow(db: Db, queues: Queues, scope: TenantScope, sourceId: string): Promise<PollRequestOutcome> {
  // requestPollNow checks the account only; the business scope is checked here.
  const source = await findSource(db, scope, sourceId);
  if (source === undefined) return { outcome: 'not_found' };
  if (findConnector(source.type)?.capabilities.push) return { outcome: 'pushed', type: source.type };
  return { outcome: (await requestPollNow(db, queues, scope.accountId, sourceId)) ? 'queued' : 'not_found' };
}
