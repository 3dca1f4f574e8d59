import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import { createAccount } from '../../db/repositories/accounts.ts';
import { createApiKey } from '../../services/keys/create-api-key.ts';
import { buildApp } from '../../services/api/app.ts';
import { createMailTransport } from '../../services/alerts/mail-transport.ts';
import { createQueues, type Queues } from '../../services/jobs/queues.ts';
import { deriveCredentialsKey, type CredentialsKey } from '../../services/sources/credentials.ts';
import { startWorkers, type RunningWorkers } from '../../services/runtime/workers.ts';
import { createTestDatabase } from './database.ts';
import { testRedis } from './redis.ts';
import { waitUntil } from './wait.ts';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface Pipeline {
  db: Db;
  dbUrl: string;
  redisUrl: string;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  app: FastifyInstance;
  accountId: string;
  key: string;
  /** Calls the API as the account's owner. */
  api(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<{ status: number; body: any }>;
  startWorkers(): RunningWorkers;
  /** Resolves when no analyze or alert job is waiting, delayed or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Earshot's real pipeline for one test file: its own database, its own Redis prefix,
 * the API in process (via inject) and, on request, workers in process.
 */
export async function startPipeline(env: Record<string, string> = {}): Promise<Pipeline> {
  const testDb = await createTestDatabase();
  const { url: redisUrl, prefix } = testRedis();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-pipeline-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    EARSHOT_SECRET: TEST_SECRET,
    RETRY_BASE_DELAY_MS: '100',
    RETRY_MAX_DELAY_SECONDS: '1',
    JOB_LOCK_SECONDS: '5',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: prefix,
    // Tests talk to loopback only: a stream test names its own loopback Jetstream.
    BLUESKY_JETSTREAM_URL: 'off',
    ...env,
  });
  const queues = createQueues(redisUrl, config.queuePrefix);
  const credentialsKey = deriveCredentialsKey(TEST_SECRET);
  const log = pino({ level: 'silent' });
  const app = await buildApp({ db: testDb.db, queues, config, credentialsKey, logger: false });
  const account = await createAccount(testDb.db, 'Test account');
  const { key } = await createApiKey(testDb.db, { accountId: account.id, role: 'owner', name: 'Test owner' });
  const running: RunningWorkers[] = [];
  const mails: Array<{ close(): void }> = [];

  return {
    db: testDb.db,
    dbUrl: testDb.url,
    redisUrl,
    queues,
    config,
    credentialsKey,
    app,
    accountId: account.id,
    key,
    async api(method, url, body) {
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, body: response.body ? response.json() : undefined };
    },
    startWorkers() {
      const mail = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: path.join(dataDir, 'outbox') });
      mails.push(mail);
      const workers = startWorkers({ db: testDb.db, queues, config, credentialsKey, mail, log });
      running.push(workers);
      return workers;
    },
    async idle() {
      await waitUntil('queues to drain', async () => {
        const counts = await Promise.all(
          [queues.poll, queues.analyze, queues.alert].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
        );
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      });
    },
    async stop() {
      for (const workers of running) await workers.close();
      for (const mail of mails) mail.close();
      await app.close();
      await queues.close();
      await testDb.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
