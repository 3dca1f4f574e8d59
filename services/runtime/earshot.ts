import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { createDb, type Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createMailTransport } from '../alerts/mail-transport.ts';
import { buildApp } from '../api/app.ts';
import { listen } from '../api/listen.ts';
import { removeDemoLeftovers } from '../demo/demo-account.ts';
import { createFirstOwnerKey, type FirstOwner } from './first-owner-key.ts';
import { createQueues, type Queues } from '../jobs/queues.ts';
import { waitForRedis } from './redis-connection.ts';
import { startBackingServices } from './backing-services.ts';
import { shortReason } from './error-reason.ts';
import { loadOrCreateSecret } from './instance-secret.ts';
import { withoutPassword } from './safe-url.ts';
import { runShutdown, type ShutdownStep } from './shutdown-steps.ts';
import { waitForDatabase } from './wait-for-database.ts';
import { startScheduler } from '../scheduler/scheduler.ts';
import { deriveCredentialsKey } from '../sources/credentials.ts';
import { deriveSignInLinkKey } from '../people/sign-in-link-token.ts';
import { startWorkers } from './workers.ts';

export type ProcessRole = 'api' | 'worker' | 'scheduler';
export const ALL_ROLES: readonly ProcessRole[] = ['api', 'worker', 'scheduler'];

export interface RunningEarshot {
  db: Db;
  queues: Queues;
  /** The API's address, when this process serves the API. */
  url: string | undefined;
  /** The owner key (and its account) made on the very first start; shown once, never stored. */
  firstOwner: FirstOwner | undefined;
  /** Sources an interrupted `earshot demo` left behind, removed before anything could poll them. */
  demoLeftoversRemoved: number;
  /**
   * Graceful: the API stops accepting, workers finish the jobs in hand, embedded servers
   * stop; all within `config.shutdownTimeoutSeconds`. Resolves to the names of the parts
   * that did not stop in time (empty when all did).
   */
  stop(): Promise<string[]>;
}

/** Starts the roles asked for, in one process, on the configured (or embedded) services. */
export async function startEarshot(config: Config, roles: readonly ProcessRole[], log: Logger): Promise<RunningEarshot> {
  const backing = await startBackingServices(config, log);
  const steps: ShutdownStep[] = [{ name: 'embedded servers', stop: () => backing.stop(), last: true }];
  const stopAll = () =>
    runShutdown(steps, config.shutdownTimeoutSeconds * 1000, (name, error) =>
      log.error({ err: error instanceof Error ? error.message : String(error) }, `shutdown: stopping ${name} failed`),
    );
  try {
    const startWaitMs = config.startWaitSeconds * 1000;
    // Outages are logged once per change of state; during start-up the wait below speaks instead.
    let started = false;
    const databaseAt = withoutPassword(backing.databaseUrl);
    const db = createDb(backing.databaseUrl, {
      watch: {
        onLost(error) {
          if (!started) return;
          const reason = shortReason(error);
          log.error({ postgres: databaseAt, reason }, `PostgreSQL connection lost (${databaseAt}): ${reason}; requests answer 503 and jobs retry until it is back`);
        },
        onBack() {
          if (started) log.info({ postgres: databaseAt }, `PostgreSQL connection back (${databaseAt})`);
        },
      },
    });
    steps.push({ name: 'database connections', stop: () => db.destroy() });
    await waitForDatabase(db, backing.databaseUrl, startWaitMs, config.databaseUrl === undefined ? `the embedded PostgreSQL under ${config.dataDir}/postgres` : 'DATABASE_URL');
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    // Before any worker or scheduler starts, so nothing polls the sandbox of a demo that was killed.
    const demoLeftoversRemoved = await removeDemoLeftovers(db);
    const credentialsKey = deriveCredentialsKey(await loadOrCreateSecret(config.secret, config.dataDir));
    const queues = createQueues(backing.redisUrl, config.queuePrefix, log);
    steps.push({ name: 'Redis queues', stop: () => queues.close() });
    await waitForRedis(queues.connection, backing.redisUrl, startWaitMs);

    if (roles.includes('worker')) {
      const mail = createMailTransport(backing.mail);
      steps.push({ name: 'mail transport', stop: async () => mail.close() });
      const workers = startWorkers({ db, queues, config, credentialsKey, mail, log });
      steps.push({ name: 'workers (jobs in hand)', stop: () => workers.close() });
    }
    if (roles.includes('scheduler')) {
      const scheduler = startScheduler({ db, queues, config, log: log.child({ role: 'scheduler' }) });
      steps.push({ name: 'scheduler', stop: () => scheduler.stop() });
    }
    let url: string | undefined;
    let firstOwner: FirstOwner | undefined;
    if (roles.includes('api')) {
      const links = { key: deriveSignInLinkKey(credentialsKey), publicUrl: config.publicUrl };
      firstOwner = await createFirstOwnerKey(db, { links, days: config.invitationDays });
      const app: FastifyInstance = await buildApp({ db, queues, config, credentialsKey, logger: log.child({ role: 'api' }) });
      steps.push({ name: 'API (requests in progress)', stop: () => app.close() });
      url = await listen(app, config);
    }
    started = true;
    return { db, queues, url, firstOwner, demoLeftoversRemoved, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
