import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../services/runtime/free-port.ts';
import { spawnEarshot } from '../support/child-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_SECRET } from '../support/pipeline.ts';
import { testRedis } from '../support/redis.ts';
import { waitUntil } from '../support/wait.ts';

let testDb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-start-'));
});
afterAll(async () => {
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  return freePort();
}

async function startFails(env: Record<string, string>): Promise<string[]> {
  const run = spawnEarshot(['start'], {
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: testRedis().prefix,
    PORT: String(await freePort()),
    START_WAIT_SECONDS: '2',
    LOG_LEVEL: 'warn',
    ...env,
  });
  expect(await run.exited()).toBe(1);
  expect(run.output()).not.toMatch(/Earshot is running|\n\s+at |Error:/);
  return run.output().split('\n').filter((line) => line.trim() !== '');
}

test('Redis unreachable at start: one line naming Redis and its URL without the password, exit 1', async () => {
  const port = await closedPort();
  const lines = await startFails({ DATABASE_URL: testDb.url, REDIS_URL: `redis://earshot:hunter2-secret@127.0.0.1:${port}` });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`Redis at redis://earshot:***@127.0.0.1:${port}`);
  expect(lines[0]).toMatch(/within 2 s .*REDIS_URL/);
  expect(lines.join('\n')).not.toContain('hunter2');
});

test('PostgreSQL unreachable at start: one line naming PostgreSQL and what to check, exit 1', async () => {
  const port = await closedPort();
  const lines = await startFails({ DATABASE_URL: `postgres://earshot:hunter2-secret@127.0.0.1:${port}/earshot`, REDIS_URL: testRedis().url });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`cannot reach PostgreSQL at postgres://earshot:***@127.0.0.1:${port}/earshot`);
  expect(lines[0]).toContain('DATABASE_URL');
  expect(lines.join('\n')).not.toContain('hunter2');
});

test('PostgreSQL refusing the user, or without the database: one line each, at once', async () => {
  const refusedUser = new URL(testDb.url);
  refusedUser.username = 'no_such_earshot_role';
  refusedUser.password = 'hunter2-secret';
  const user = await startFails({ DATABASE_URL: refusedUser.toString(), REDIS_URL: testRedis().url });
  expect(user).toHaveLength(1);
  expect(user[0]).toMatch(/refused user "no_such_earshot_role": check the user name and password in DATABASE_URL/);
  expect(user.join('\n')).not.toContain('hunter2');

  const noDatabase = new URL(testDb.url);
  noDatabase.pathname = '/no_such_earshot_database';
  const database = await startFails({ DATABASE_URL: noDatabase.toString(), REDIS_URL: testRedis().url });
  expect(database).toHaveLength(1);
  expect(database[0]).toMatch(/has no such database/);
});

test('the API port already in use: one line naming the port and PORT, exit 1', async () => {
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  try {
    const lines = await startFails({ DATABASE_URL: testDb.url, REDIS_URL: testRedis().url, PORT: String(port) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(lines[0]).toMatch(/already in use.*PORT/);
  } finally {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  }
});

test('SIGTERM while start-up still waits for PostgreSQL stops the process within the shutdown bound', async () => {
  const port = await closedPort();
  const run = spawnEarshot(['start'], {
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: testRedis().prefix,
    PORT: String(await freePort()),
    DATABASE_URL: `postgres://earshot:secret@127.0.0.1:${port}/earshot`,
    REDIS_URL: testRedis().url,
    // Far longer than the test may take: only the shutdown bound can end this start.
    START_WAIT_SECONDS: '600',
    SHUTDOWN_TIMEOUT_SECONDS: '3',
    LOG_LEVEL: 'info',
  });
  // Start-up has begun once the backing services are chosen; it then waits for PostgreSQL.
  await waitUntil('start-up to begin', async () => run.output().includes('SMTP_URL not set'));
  expect(await run.kill('SIGTERM')).toBe(1);
  expect(run.output()).toContain('SIGTERM: stopping once start-up ends (at most 3 s');
  expect(run.output()).toContain('did not finish starting within 3 s of SIGTERM');
  expect(run.output()).not.toMatch(/Earshot is running|\n\s+at /);
});
