/**
 * `earshot demo` must not leave sources that later starts poll for ever: it deletes
 * what it made when stopped, and what a demo killed hard left behind is removed by the
 * next start (but never while a demo is running). On the way it answers a flagged 1★
 * Google review on the sandbox's Google Business Profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { removeDemoLeftovers, DEMO_ACCOUNT } from '../../services/demo/demo-account.ts';
import { spawnEarshot, type EarshotProcess } from '../support/child-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testRedis } from '../support/redis.ts';
import { waitUntil } from '../support/wait.ts';

let testDb: TestDatabase;
let dataDir: string;
let env: Record<string, string>;
const running: EarshotProcess[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-demo-'));
  const redis = testRedis();
  env = {
    DATABASE_URL: testDb.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    DATA_DIR: dataDir,
    PORT: '0',
    EARSHOT_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'warn',
  };
});
afterAll(async () => {
  for (const run of running) await run.kill('SIGKILL');
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function demo(extraEnv: Record<string, string> = {}): EarshotProcess {
  const run = spawnEarshot(['demo'], { ...env, ...extraEnv });
  running.push(run);
  return run;
}

async function watching(run: EarshotProcess): Promise<void> {
  await waitUntil('the demo to add its sources', async () => run.output().includes('watching for flagged items'), 60_000);
}

async function demoSources(): Promise<string[]> {
  const rows = await testDb.db
    .selectFrom('sources')
    .innerJoin('accounts', 'accounts.id', 'sources.account_id')
    .select('sources.id')
    .where('accounts.name', '=', DEMO_ACCOUNT)
    .orderBy('sources.id')
    .execute();
  return rows.map((row) => row.id);
}

test('the demo answers the flagged 1★ Google review on Google, and shows it published after the undo window', async () => {
  const run = demo({ REPLY_UNDO_SECONDS: '1' });
  await waitUntil('the demo to publish its reply', async () => run.output().includes('demo: replied on Google'), 90_000);
  const output = run.output();
  expect(output).toMatch(/demo: replying on Google to Priya Nandakumar's 1★ review as the owner; it can be taken back for \d+ s, then it is sent/);
  expect(output).toMatch(/demo: replied on Google to Priya Nandakumar's 1★ review: published \(http:\/\/127\.0\.0\.1:\d+\/business\/reviews\/\w+\)/);
  const replies = await testDb.db.selectFrom('item_replies').select(['status', 'author', 'text']).execute();
  expect(replies).toEqual([{ status: 'published', author: 'Demo owner', text: expect.stringMatching(/^Dear Priya, we are so sorry/) }]);
  expect(await run.kill('SIGTERM')).toBe(0);
  expect(await demoSources()).toEqual([]);
}, 120_000);

test('stopped with SIGTERM, the demo deletes its account, business, sources and items', async () => {
  const run = demo();
  await watching(run);
  expect(await demoSources()).toHaveLength(5);
  expect(await run.kill('SIGTERM')).toBe(0);
  expect(run.output()).toContain('removed the demo account with its business, 5 sources and their items');
  expect(await demoSources()).toEqual([]);
  expect(await testDb.db.selectFrom('sources').select('id').execute()).toEqual([]);
  expect(await testDb.db.selectFrom('accounts').select('id').where('name', '=', DEMO_ACCOUNT).execute()).toEqual([]);
}, 120_000);

test('killed hard, its sources are left alone while it runs and removed by the next start', async () => {
  const run = demo();
  await watching(run);
  const sources = await demoSources();
  expect(sources).toHaveLength(5);
  // A running demo holds its lock: nothing of it is taken away.
  expect(await removeDemoLeftovers(testDb.db)).toBe(0);
  expect(await demoSources()).toEqual(sources);

  await run.kill('SIGKILL');
  expect(await demoSources()).toEqual(sources);

  const start = spawnEarshot(['start', '--role', 'scheduler'], env);
  running.push(start);
  await waitUntil('start to be running', async () => start.output().includes('Press Ctrl-C to stop'), 60_000);
  expect(start.output()).toContain('Removed 5 sources an interrupted `earshot demo` left behind');
  expect(await demoSources()).toEqual([]);
  expect(await testDb.db.selectFrom('sources').select('id').where('id', 'in', sources).execute()).toEqual([]);
  expect(await start.kill('SIGTERM')).toBe(0);
}, 180_000);
