import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { rootHomeFor } from '../../services/runtime/embedded-postgres-as-root.ts';
import { startEmbeddedPostgres } from '../../services/runtime/embedded-postgres.ts';
import { startRedisServer } from '../../services/runtime/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

/**
 * Real PostgreSQL and Redis for the whole run: the ones named by DATABASE_URL /
 * REDIS_URL when set, otherwise an embedded PostgreSQL and a redis-server on free
 * ports, in a temporary directory removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-test-'));
  // When run as root, PostgreSQL runs as another OS user that must be able to enter this directory.
  await chmod(dir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const databaseUrl = process.env.DATABASE_URL ?? (await start(startEmbeddedPostgres(path.join(dir, 'pg')), stops));
  const redisUrl = process.env.REDIS_URL ?? (await start(startRedisServer(path.join(dir, 'redis'), { persistent: false }), stops));
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    for (const stop of stops.reverse()) await stop();
    await rm(dir, { recursive: true, force: true });
    // As root from a private checkout, the cluster may have been kept there instead.
    await rm(rootHomeFor(path.join(dir, 'pg')), { recursive: true, force: true });
  };
}

async function start(server: Promise<{ url: string; stop(): Promise<void> }>, stops: Array<() => Promise<void>>): Promise<string> {
  const running = await server;
  stops.push(() => running.stop());
  return running.url;
}
