import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Job } from 'bullmq';
import nock from 'nock';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSource } from '../../services/sources/store-source.ts';
import { createGuardedAgent } from '../../services/sources/http/guarded-agent.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';
import { runPollJob, type PollJobDeps } from '../../services/jobs/poll-job.ts';
import { waitForRedis } from '../../services/runtime/redis-connection.ts';
import { createQueues, type PollJobData } from '../../services/jobs/queues.ts';
import { startRedisServer } from '../../services/runtime/redis-server.ts';
import { createApiHarness } from '../support/api.ts';
import { placeDetails } from '../support/google-places-payload.ts';

// The platform is faked by nock at a loopback address: nothing leaves the machine.
const PLATFORM = 'http://127.0.0.1:9';
const PLACE = 'place-redis-outage';

const h = await createApiHarness({ config: { allowPrivateUrls: true } });
let redisDir: string;

beforeAll(async () => {
  nock.disableNetConnect();
  redisDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-redis-outage-'));
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.close();
  await rm(redisDir, { recursive: true, force: true });
});

test("a poll cut short because Earshot's own Redis went away is not held against the source", async () => {
  const source = await createSource(h.db, h.credentialsKey, {
    accountId: h.tenant.accountId,
    businessId: h.tenant.businessId,
    type: 'google_places',
    config: { placeId: PLACE, baseUrl: PLATFORM },
    credentials: { apiKey: 'places-key' },
    pollEveryMinutes: 15,
    scheduled: true,
  });
  nock(PLATFORM).get(`/v1/places/${PLACE}`).reply(200, placeDetails(PLACE, [{ id: 'r1', rating: 1, text: 'Cold soup.', author: 'A', hoursAgo: 1 }]));

  // Queues on a Redis of this test's own, which then stops: handing the page to analysis fails.
  const redis = await startRedisServer(redisDir, { persistent: false });
  const queues = createQueues(redis.url, 'outage');
  await waitForRedis(queues.connection, redis.url, 10_000);
  await redis.stop();

  const agent = createGuardedAgent(true);
  try {
    const deps: PollJobDeps = {
      db: h.db,
      queues,
      config: h.config,
      credentialsKey: h.credentialsKey,
      // The rate limiter lives in the run's Redis, which stays up.
      budget: createRequestBudget(h.queues.connection, `${h.queues.prefix}:budget`),
      agent,
      log: pino({ level: 'silent' }),
    };
    const job = { id: 'poll-outage', name: 'poll-now', data: { sourceId: source.id, slot: new Date().toISOString() }, attemptsMade: 0 } as unknown as Job<PollJobData>;
    await expect(runPollJob(job, deps, new AbortController().signal)).rejects.toThrow();
  } finally {
    await agent.close();
    await queues.close();
  }

  const row = await h.db
    .selectFrom('sources')
    .select(['last_error_kind', 'last_error_message', 'consecutive_failures'])
    .where('id', '=', source.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ last_error_kind: null, last_error_message: null, consecutive_failures: 0 });
  // The page itself was stored before the hand-over failed; the retry finds it there.
  const stored = await h.db.selectFrom('items').select('external_id').where('source_id', '=', source.id).execute();
  expect(stored).toHaveLength(1);
});
