import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { hasRedisServer, RedisUnavailableError, startRedisServer } from './redis-server.ts';

export interface BackingServices {
  databaseUrl: string;
  redisUrl: string;
  /** Where emails go: the SMTP URL, or the outbox directory. */
  mail: { smtpUrl: string | undefined; outboxDir: string };
  /** Stops what Earshot started itself; external services are left alone. */
  stop(): Promise<void>;
}

/**
 * The configured PostgreSQL, Redis and SMTP, or Earshot's own embedded stand-ins when
 * none is configured: zero set-up for one machine, real services for production.
 */
export async function startBackingServices(config: Config, log: Logger): Promise<BackingServices> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: String(error) }, 'stopping a backing service failed'));
  };
  // Checked first: no point starting a database only to stop it again.
  if (config.redisUrl === undefined && !hasRedisServer()) throw new RedisUnavailableError();
  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      log.info({ dir: path.join(config.dataDir, 'postgres') }, 'DATABASE_URL not set: starting embedded PostgreSQL');
      const pg = await startEmbeddedPostgres(config.dataDir, { onLog: (line) => log.debug({ postgres: line }) });
      if (pg.note) log.info({ dir: pg.dataDir }, pg.note);
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    let redisUrl = config.redisUrl;
    if (redisUrl === undefined) {
      log.info({ dir: path.join(config.dataDir, 'redis') }, 'REDIS_URL not set: starting redis-server (append-only, no eviction)');
      const redis = await startRedisServer(path.join(config.dataDir, 'redis'));
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    const outboxDir = path.join(config.dataDir, 'outbox');
    if (config.smtpUrl === undefined) log.info({ dir: outboxDir }, 'SMTP_URL not set: emails are written as .eml files');
    return { databaseUrl, redisUrl, mail: { smtpUrl: config.smtpUrl, outboxDir }, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
