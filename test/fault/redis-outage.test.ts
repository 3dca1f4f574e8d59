import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signWebhook } from '../../connectors/webhook/signature.ts';
import { freePort } from '../../services/runtime/free-port.ts';
import { startRedisServer, type RunningRedis } from '../../services/runtime/redis-server.ts';
import { spawnEarshot, type EarshotProcess } from '../support/child-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_SECRET } from '../support/pipeline.ts';
import { sleep, waitUntil } from '../support/wait.ts';

const WEBHOOK_SECRET = 'whsec-redis-0123456789abcdef01234';

let testDb: TestDatabase;
let dir: string;
let redis: RunningRedis | undefined;
let redisPort: number;
let earshot: EarshotProcess;
let api: string;
let sourceId: string;

// Earshot's own redis-server, so this file can stop and restart it (same port, same
// append-only file, like a real restart); the run's Redis is never touched.
async function startOwnRedis(): Promise<void> {
  redis = await startRedisServer(path.join(dir, 'redis'), { persistent: true, port: redisPort });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-redis-outage-'));
  redisPort = await freePort();
  await startOwnRedis();
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  earshot = spawnEarshot(['start'], {
    DATABASE_URL: testDb.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    EARSHOT_SECRET: TEST_SECRET,
    DATA_DIR: path.join(dir, 'data'),
    PORT: String(port),
    SCHEDULER_TICK_SECONDS: '1',
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MAX_DELAY_SECONDS: '1',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    LOG_LEVEL: 'info',
  });
  await waitUntil('Earshot to start', async () => {
    if (earshot.child.exitCode !== null) throw new Error(earshot.output());
    return earshot.stdout().includes('Earshot is running');
  });
  const key = /esk_[A-Za-z0-9_-]{43}/.exec(earshot.stdout())?.[0];
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const business: any = await (await fetch(`${api}/v1/businesses`, { method: 'POST', headers, body: JSON.stringify({ name: 'Redis Diner', alertEmails: ['o@redis.test'] }) })).json();
  const source = await fetch(`${api}/v1/businesses/${business.id}/sources`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'webhook', config: {}, credentials: { secret: WEBHOOK_SECRET } }),
  });
  sourceId = ((await source.json()) as any).id;
});

afterAll(async () => {
  await earshot?.kill('SIGKILL');
  await redis?.stop();
  await testDb?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function push(id: string): Promise<number> {
  const body = JSON.stringify({ items: [{ id, rating: 1, body: `Review ${id}: the soup was cold.`, author: 'Kim', publishedAt: new Date().toISOString() }] });
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${api}/v1/webhooks/${sourceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-timestamp': String(timestamp), 'x-earshot-signature': signWebhook(WEBHOOK_SECRET, timestamp, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const alertsWritten = async () => (await readdir(path.join(dir, 'data', 'outbox')).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).length;
const linesWith = (text: string) => earshot.output().split('\n').filter((line) => line.includes(text));

test('Redis lost mid-run and back: one line when lost, one when back, and work resumes', async () => {
  expect(await push('before-1')).toBe(202);
  await waitUntil('the first alert', async () => (await alertsWritten()) === 1);

  await redis?.stop();
  redis = undefined;
  // Several reconnect attempts (ioredis tries every 2 s at most) and scheduler ticks.
  await waitUntil('the loss to be noticed', async () => linesWith('Redis connection lost').length > 0);
  await sleep(6000);
  const readiness = await fetch(`${api}/readyz`);
  expect(readiness.status).toBe(503);
  expect(((await readiness.json()) as any).redis).toBe('down');
  await startOwnRedis();
  await waitUntil('Redis to be back', async () => linesWith('Redis connection back').length > 0);

  expect(await push('after-1')).toBe(202);
  await waitUntil('the alert after the outage', async () => (await alertsWritten()) === 2);
  expect(earshot.child.exitCode).toBeNull();
  expect(linesWith('Redis connection lost')).toHaveLength(1);
  expect(linesWith('Redis connection back')).toHaveLength(1);
  // Not one line (nor one raw error object) per reconnect attempt.
  expect(linesWith('ECONNREFUSED').length).toBeLessThanOrEqual(1);
  expect(earshot.output()).not.toMatch(/scheduler tick failed|worker error|Unhandled/);
});

test('SIGTERM while Redis is down stops the process within the shutdown bound', async () => {
  await redis?.stop();
  redis = undefined;
  await waitUntil('the loss to be noticed', async () => linesWith('Redis connection lost').length === 2);
  earshot.child.kill('SIGTERM');
  // SHUTDOWN_TIMEOUT_SECONDS is 5; allow generous slack for a loaded machine, never minutes.
  const outcome = await Promise.race([earshot.exited().then(() => 'exited'), sleep(25_000).then(() => 'still running')]);
  expect(outcome).toBe('exited');
  expect(earshot.output()).toMatch(/Earshot stopped\.|did not stop cleanly within 5 s: .+ did not finish/);
});
