import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { createDb, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { buildApp } from './api/app.ts';
import { listen } from './api/listen.ts';
import { createFirstOwnerKey } from './first-owner-key.ts';
import { createMailTransport } from './mail/mail-transport.ts';
import { createQueues, type Queues } from './queue/queues.ts';
import { startBackingServices } from './runtime/backing-services.ts';
import { loadOrCreateSecret } from './runtime/instance-secret.ts';
import { startScheduler, type RunningScheduler } from './scheduler.ts';
import { deriveCredentialsKey } from './security/credentials.ts';
import { startWorkers, type RunningWorkers } from './workers.ts';

export type ProcessRole = 'api' | 'worker' | 'scheduler';
export const ALL_ROLES: readonly ProcessRole[] = ['api', 'worker', 'scheduler'];

export interface RunningEarshot {
  db: Db;
  queues: Queues;
  /** The API's address, when this process serves the API. */
  url: string | undefined;
  /** The owner key made on the very first start; shown once, never stored. */
  firstOwnerKey: string | undefined;
  /** Graceful: the API stops accepting, workers finish the jobs in hand, embedded servers stop. */
  stop(): Promise<void>;
}

/** Starts the roles asked for, in one process, on the configured (or embedded) services. */
export async function startEarshot(config: Config, roles: readonly ProcessRole[], log: Logger): Promise<RunningEarshot> {
  const backing = await startBackingServices(config, log);
  const stops: Array<() => Promise<void>> = [() => backing.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown step failed'));
    }
  };
  try {
    const db = createDb(backing.databaseUrl, { onIdleError: (error) => log.warn({ err: error.message }, 'idle database connection lost') });
    stops.push(() => db.destroy());
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    const credentialsKey = deriveCredentialsKey(await loadOrCreateSecret(config.secret, config.dataDir));
    const queues = createQueues(backing.redisUrl, config.queuePrefix);
    stops.push(() => queues.close());

    let workers: RunningWorkers | undefined;
    if (roles.includes('worker')) {
      const mail = createMailTransport(backing.mail);
      stops.push(async () => mail.close());
      workers = startWorkers({ db, queues, config, credentialsKey, mail, log });
      stops.push(() => (workers as RunningWorkers).close());
    }
    let scheduler: RunningScheduler | undefined;
    if (roles.includes('scheduler')) {
      scheduler = startScheduler({ db, queues, config, log: log.child({ role: 'scheduler' }) });
      stops.push(() => (scheduler as RunningScheduler).stop());
    }
    let url: string | undefined;
    let firstOwnerKey: string | undefined;
    if (roles.includes('api')) {
      firstOwnerKey = await createFirstOwnerKey(db);
      const app: FastifyInstance = await buildApp({ db, queues, config, credentialsKey, logger: log.child({ role: 'api' }) });
      stops.push(() => app.close());
      url = await listen(app, config);
    }
    return { db, queues, url, firstOwnerKey, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
