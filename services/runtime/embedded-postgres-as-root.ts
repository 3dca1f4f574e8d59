import { execFile as execFileCallback } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from './startup-error.ts';

const execFile = promisify(execFileCallback);

/** Where Earshot keeps a cluster the `postgres` OS user could not reach in the data directory. */
export const ROOT_HOMES = '/var/lib/earshot';

export interface PostgresOsUser {
  uid: number;
  gid: number;
}

/** Where the embedded cluster of one data directory lives when Earshot runs as root. */
export interface RootPostgresLocation {
  user: PostgresOsUser;
  databaseDir: string;
  /** The directory of pg_ctl, initdb and postgres. */
  binDir: string;
  /** True when binDir is Earshot's copy: the package cannot run initdb from there. */
  copiedBinaries: boolean;
  /** One sentence for the start-up log when the cluster is not in the data directory. */
  note?: string;
}

/** The folder for one data directory under ROOT_HOMES, named by a hash of its absolute path. */
export function rootHomeFor(dataDir: string): string {
  return path.join(ROOT_HOMES, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12));
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user. That
 * user cannot reach anything under a folder private to root (root's home, a `mktemp -d`
 * folder), where `npm install` typically put the binaries and the data directory is.
 * Whatever it cannot reach is kept under ROOT_HOMES instead, owned so that it can: the
 * data (owned by it) and a copy of the binaries (read-only to it), both reused by later
 * starts; the copy is replaced when the package's version changes.
 */
export async function locatePostgresAsRoot(dataDir: string, packageNativeDir: string): Promise<RootPostgresLocation> {
  const user = await ensurePostgresOsUser();
  await fs.mkdir(dataDir, { recursive: true });
  // Enough when only this folder was private: its parents may be open.
  await fs.chmod(dataDir, 0o755);

  const home = rootHomeFor(dataDir);
  const inDataDir = path.resolve(dataDir, 'postgres');
  const moved = path.join(home, 'postgres');
  const binariesReachable = await canReach(user, path.join(packageNativeDir, 'bin', 'postgres'));
  const dataReachable = await canReach(user, dataDir);

  // A cluster already kept under ROOT_HOMES stays the one used, even once the data directory opens up.
  const useMoved = existsSync(path.join(moved, 'PG_VERSION')) || !dataReachable;
  if (useMoved && !existsSync(path.join(moved, 'PG_VERSION')) && existsSync(path.join(inDataDir, 'PG_VERSION'))) {
    throw new StartupError(
      `the embedded PostgreSQL data in ${inDataDir} cannot be reached by the postgres OS user (a parent folder is private to root): open each parent folder to it (chmod o+x), set DATABASE_URL, or run Earshot as a normal user`,
    );
  }
  const databaseDir = useMoved ? moved : inDataDir;
  let binDir = path.join(packageNativeDir, 'bin');
  try {
    if (!binariesReachable || useMoved) await makeReachableDir(home);
    if (!binariesReachable) binDir = path.join(await copyBinaries(packageNativeDir, home), 'bin');
  } catch (error) {
    throw new StartupError(
      `the postgres OS user cannot reach ${path.resolve(dataDir)} or the PostgreSQL binaries, and Earshot could not prepare ${home} for it (${(error as Error).message}): set DATABASE_URL, or run Earshot as a normal user`,
      { cause: error },
    );
  }

  if (!(await canReach(user, path.join(binDir, 'postgres'))) || !(await canReach(user, path.dirname(databaseDir)))) {
    throw new StartupError(
      `the postgres OS user cannot reach the embedded PostgreSQL even under ${home}: set DATABASE_URL to a PostgreSQL you run, or run Earshot as a normal user`,
    );
  }
  const kept = [useMoved ? 'its data' : undefined, binariesReachable ? undefined : 'a copy of its binaries'].filter(Boolean).join(' and ');
  const note =
    kept === ''
      ? undefined
      : `embedded PostgreSQL keeps ${kept} in ${home} (reused on every start): as root it runs as the postgres OS user, which cannot enter a folder private to root`;
  return { user, databaseDir, binDir, copiedBinaries: !binariesReachable, note };
}

/**
 * Runs initdb from Earshot's copy of the binaries (the package's own initialise() runs
 * the binaries it ships, which this user cannot reach). UTF-8, so text is stored as sent.
 */
export async function initialiseClusterAs(location: RootPostgresLocation, credentials: { user: string; password: string }): Promise<void> {
  const { user, databaseDir } = location;
  await fs.mkdir(databaseDir, { recursive: true, mode: 0o700 });
  await fs.chown(databaseDir, user.uid, user.gid);
  const passwordFile = path.join(path.dirname(databaseDir), 'initdb-password');
  await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  await fs.chown(passwordFile, user.uid, user.gid);
  try {
    await execFile(
      path.join(location.binDir, 'initdb'),
      [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
      { ...runAs(location), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } catch (error) {
    const output = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? String(error);
    throw new StartupError(`the embedded PostgreSQL could not create its cluster in ${databaseDir}: ${output}`, { cause: error });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

/** Options for child processes run as the postgres user, from a folder it can enter. */
export function runAs(location: RootPostgresLocation): { uid: number; gid: number; cwd: string } {
  return { uid: location.user.uid, gid: location.user.gid, cwd: path.dirname(location.databaseDir) };
}

async function ensurePostgresOsUser(): Promise<PostgresOsUser> {
  const found = await lookUpUser();
  if (found) return found;
  try {
    await execFile('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execFile('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new StartupError(
      'Earshot runs as root, so its embedded PostgreSQL must run as the `postgres` OS user, which does not exist and could not be created: create it (useradd --system postgres), set DATABASE_URL, or run Earshot as a normal user',
      { cause: error },
    );
  }
  const created = await lookUpUser();
  if (!created) throw new StartupError('the `postgres` OS user was created but cannot be found: set DATABASE_URL, or run Earshot as a normal user');
  return created;
}

async function lookUpUser(): Promise<PostgresOsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFile('id', ['-u', 'postgres']), execFile('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * Asks the system itself, as the postgres user (the way PostgreSQL will be run: no
 * supplementary groups), whether it can reach `target`: search permission on every
 * parent, and on the target itself (a directory to enter or a program to run).
 */
async function canReach(user: PostgresOsUser, target: string): Promise<boolean> {
  try {
    await execFile('test', ['-x', target], { uid: user.uid, gid: user.gid, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

async function makeReachableDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  // Explicit modes: a umask of 077 would otherwise close them to the postgres user.
  for (const each of [ROOT_HOMES, dir]) await fs.chmod(each, 0o755);
}

/** The package's binaries, copied once per package version; older copies are removed. */
async function copyBinaries(packageNativeDir: string, home: string): Promise<string> {
  const { version } = JSON.parse(await fs.readFile(path.join(packageNativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const target = path.join(home, `postgresql-${version}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  // Copied aside, then renamed: a start interrupted mid-copy never leaves a half copy in use.
  const partial = `${target}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  await fs.cp(packageNativeDir, partial, { recursive: true, verbatimSymlinks: true });
  await fs.chmod(partial, 0o755);
  try {
    await fs.rename(partial, target);
  } catch (error) {
    // Another Earshot process (say `earshot keys create` beside `earshot start`) finished first.
    await fs.rm(partial, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
    return target;
  }
  for (const entry of await fs.readdir(home)) {
    if (entry.startsWith('postgresql-') && entry !== path.basename(target)) await fs.rm(path.join(home, entry), { recursive: true, force: true });
  }
  return target;
}
