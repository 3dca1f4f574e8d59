import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { Pipeline } from './pipeline.ts';
import { TEST_SECRET } from './pipeline.ts';

/**
 * The environment of an `earshot start --role worker` process on the pipeline's database
 * and queues, sending mail to `smtpUrl`: leases and job locks of two seconds, so a worker
 * taking over from one that died does so within seconds.
 */
export async function workerProcessEnv(pipeline: Pipeline, smtpUrl: string): Promise<Record<string, string>> {
  return {
    DATABASE_URL: pipeline.dbUrl,
    REDIS_URL: pipeline.redisUrl,
    QUEUE_PREFIX: pipeline.config.queuePrefix,
    EARSHOT_SECRET: TEST_SECRET,
    SMTP_URL: smtpUrl,
    DATA_DIR: await mkdtemp(path.join(pipeline.config.dataDir, 'worker-')),
    ALERT_LEASE_SECONDS: '2',
    JOB_LOCK_SECONDS: '2',
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MAX_DELAY_SECONDS: '1',
    LOG_LEVEL: 'warn',
  };
}
