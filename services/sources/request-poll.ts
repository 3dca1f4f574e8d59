import type { Db } from '../../db/database.ts';
import { makeDueNow } from '../../db/repositories/poll-state.ts';
import { enqueuePoll } from './enqueue-poll.ts';
import type { Queues } from '../jobs/queues.ts';

/** "Poll now": makes the source due and queues its poll. False when the source is not the account's. */
export async function requestPollNow(db: Db, queues: Queues, accountId: string, sourceId: string): Promise<boolean> {
  const slot = await makeDueNow(db, accountId, sourceId);
  if (slot === undefined) return false;
  await enqueuePoll(queues, sourceId, slot, { manual: true });
  return true;
}
