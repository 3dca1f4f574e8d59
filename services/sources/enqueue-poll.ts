import { jobIds, type Queues } from '../jobs/queues.ts';

export async function enqueuePoll(queues: Queues, sourceId: string, slot: Date, options: { manual?: boolean } = {}): Promise<void> {
  const iso = slot.toISOString();
  await queues.poll.add(
    options.manual ? 'poll-now' : 'poll',
    { sourceId, slot: iso },
    // A failing source waits for its next slot rather than retrying in a storm.
    { jobId: jobIds.poll(sourceId, iso), attempts: 3, backoff: { type: 'capped-exponential' } },
  );
}
