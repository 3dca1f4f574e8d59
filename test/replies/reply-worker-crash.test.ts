import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiKey } from '../../services/keys/create-api-key.ts';
import { spawnEarshot } from '../support/child-process.ts';
import { insertItem } from '../support/api.ts';
import { startPipeline, TEST_SECRET, type Pipeline } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';
import { startFakeGoogle, type FakeGoogle } from './fake-google.ts';
import { googleSource, GOOGLE_CONFIG } from './google-reviews.ts';

let pipeline: Pipeline;
let google: FakeGoogle;

beforeAll(async () => {
  pipeline = await startPipeline({ REPLY_UNDO_SECONDS: '1' });
  google = await startFakeGoogle();
});
afterAll(async () => {
  await pipeline.stop();
  await google.stop();
});

async function workerEnv(): Promise<Record<string, string>> {
  return {
    DATABASE_URL: pipeline.dbUrl,
    REDIS_URL: pipeline.redisUrl,
    QUEUE_PREFIX: pipeline.config.queuePrefix,
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: await mkdtemp(path.join(pipeline.config.dataDir, 'worker-')),
    // The fake Google listens on loopback.
    EARSHOT_ALLOW_PRIVATE_URLS: 'true',
    REPLY_LEASE_SECONDS: '5',
    JOB_LOCK_SECONDS: '2',
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MAX_DELAY_SECONDS: '1',
    LOG_LEVEL: 'warn',
  };
}

test('a worker killed after claiming a reply and before its PUT: after a restart the reply reaches Google exactly once', async () => {
  const business = await pipeline.api('POST', '/v1/businesses', { name: 'Crash Diner', alertEmails: ['owner@diner.test'] });
  const owner = { accountId: pipeline.accountId, businessId: business.body.id as string };
  const sourceId = await googleSource(pipeline.db, pipeline.credentialsKey, owner, { ...GOOGLE_CONFIG, baseUrl: google.baseUrl, tokenBaseUrl: google.baseUrl });
  const itemId = await insertItem(pipeline.db, { ...owner, sourceId }, { external_id: 'crash-review', rating: 1, body: 'Cold soup.', published_at: new Date(Date.now() - 3_600_000) });
  const { key } = await createApiKey(pipeline.db, { accountId: pipeline.accountId, role: 'staff', name: 'Sam (staff)' });

  google.holdLookups = true;
  const first = spawnEarshot(['start', '--role', 'worker'], await workerEnv());
  const created = await pipeline.app.inject({
    method: 'POST',
    url: `/v1/items/${itemId}/replies`,
    headers: { authorization: `Bearer ${key}` },
    payload: { text: 'So sorry, Pat. Dinner is on us.' },
  });
  expect(created.statusCode, created.body).toBe(202);
  const replyId = created.json().id as string;

  // Claimed, and reading Google before posting: the lookup is never answered.
  await waitUntil('the reply to be claimed and Google asked', async () => {
    const row = await pipeline.db.selectFrom('item_replies').select('status').where('id', '=', replyId).executeTakeFirstOrThrow();
    return row.status === 'sending' && google.lookups > 0;
  }).catch((error: Error) => {
    throw new Error(`${error.message}\nworker output:\n${first.output()}`);
  });
  await first.kill('SIGKILL');
  expect(google.puts).toEqual([]);

  google.holdLookups = false;
  const second = spawnEarshot(['start', '--role', 'worker'], await workerEnv());
  try {
    await waitUntil(
      'the reply to be published after the lease ran out',
      async () => (await pipeline.db.selectFrom('item_replies').select('status').where('id', '=', replyId).executeTakeFirstOrThrow()).status === 'published',
      40_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${second.output()}`);
    });
    // Give a duplicate every chance to appear: more than a lease and a stall check.
    await sleep(6000);
    expect(google.puts).toEqual(['So sorry, Pat. Dinner is on us.']);
    const item = await pipeline.db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'responded', first_response_source: 'reply' });
  } finally {
    await second.kill('SIGTERM');
  }
});
