import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../services/runtime/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testRedis } from '../support/redis.ts';

const LAUNCHER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/earshot.js');

/**
 * The shell's own `node`, as a user typing `earshot …` or `node bin/earshot.js …` gets
 * it: npm scripts and npx put node_modules/.bin (the pinned Node 24) first on PATH, so
 * that is taken off again.
 */
const shellPath = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => !dir.includes('node_modules')).join(path.delimiter);

function runWithShellNode(script: string, args: string[]) {
  return spawnSync('/usr/bin/env', ['node', script, ...args], { env: { PATH: shellPath, HOME: os.homedir() }, encoding: 'utf8', timeout: 30_000 });
}

const shellNodeVersion = spawnSync('/usr/bin/env', ['node', '--version'], { env: { PATH: shellPath }, encoding: 'utf8' }).stdout?.trim() ?? '';
const hasShellNode = shellNodeVersion !== '';

test.skipIf(!hasShellNode)(`the earshot command runs on the shell's Node (${shellNodeVersion || 'none on PATH'})`, () => {
  const help = runWithShellNode(LAUNCHER, ['--help']);
  expect(help.stderr).not.toMatch(/\n\s+at /);
  expect(help.stdout).toContain('Usage: earshot <command>');
  expect(help.status).toBe(0);

  // The CLI's own exit codes come through.
  const unknown = runWithShellNode(LAUNCHER, ['no-such-command']);
  expect(unknown.stderr).toContain('unknown command "no-such-command"');
  expect(unknown.status).toBe(2);
});

let lonelyDir: string;
beforeAll(async () => {
  lonelyDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-launcher-'));
  await mkdir(path.join(lonelyDir, 'bin'));
  await copyFile(LAUNCHER, path.join(lonelyDir, 'bin', 'earshot.js'));
});
afterAll(() => rm(lonelyDir, { recursive: true, force: true }));

const shellNodeTooOld = hasShellNode && Number(shellNodeVersion.replace(/^v/, '').split('.')[0]) < 24;

test.skipIf(!shellNodeTooOld)('without npm install and on an older Node, it says in one line what to run instead', () => {
  const run = runWithShellNode(path.join(lonelyDir, 'bin', 'earshot.js'), ['keys', 'create', '--role', 'owner']);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toEqual([
    `earshot: needs Node.js 24 (this is ${shellNodeVersion}); run \`npm install\` in ${lonelyDir}, then \`npx earshot keys create --role owner\`.`,
  ]);
});

let testDb: TestDatabase;
const redis = testRedis();
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
  const client = new Redis(redis.url);
  for await (const keys of client.scanStream({ match: `${redis.prefix}*`, count: 500 })) if ((keys as string[]).length > 0) await client.del(...(keys as string[]));
  client.disconnect();
});

test.skipIf(!hasShellNode)('Ctrl-C in a terminal stops `earshot start` in order, once, with its exit code', async () => {
  const port = await freePort();
  const dataDir = path.join(lonelyDir, 'data');
  // Its own process group, like a shell job: a terminal's Ctrl-C signals the whole group.
  const child = spawn('/usr/bin/env', ['node', LAUNCHER, 'start'], {
    env: { PATH: shellPath, HOME: os.homedir(), DATABASE_URL: testDb.url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    while (!output.includes('Earshot is running')) {
      if (child.exitCode !== null) throw new Error(`earshot exited early:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Earshot stopped.');
    expect(output).not.toContain('exiting without waiting');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
});
