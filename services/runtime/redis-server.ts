import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './free-port.ts';
import { StartupError } from './startup-error.ts';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor() {
    super(
      [
        'Earshot needs Redis and found neither REDIS_URL nor a redis-server on PATH. Any one of these fixes it:',
        '  1. install Redis (Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`) and start Earshot again;',
        '  2. set REDIS_URL to a Redis you already run, e.g. REDIS_URL=redis://127.0.0.1:6379;',
        '  3. run everything with Docker: `docker compose up`.',
      ].join('\n'),
    );
    this.name = 'RedisUnavailableError';
  }
}

export function hasRedisServer(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Starts a private `redis-server` with its data under `dir`: append-only file on,
 * and no eviction, because queued work must never be silently dropped.
 */
export async function startRedisServer(dir: string, options: { persistent?: boolean; port?: number } = {}): Promise<RunningRedis> {
  await fs.mkdir(dir, { recursive: true });
  const stateFile = path.join(dir, 'earshot-redis.json');
  const running = await alreadyRunning(stateFile);
  // Another Earshot process on this machine started it; share it rather than fight over the data.
  if (running) return { url: `redis://127.0.0.1:${running.port}`, stop: async () => {} };
  if (!hasRedisServer()) throw new RedisUnavailableError();
  const port = options.port ?? (await freePort());
  const persistent = options.persistent ?? true;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', path.resolve(dir),
    '--appendonly', persistent ? 'yes' : 'no',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--logfile', '',
  ];
  // Its own process group: a Ctrl-C in the terminal is Earshot's to handle, in order.
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); });
  child.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); });
  await waitForPort(port, child, () => output);
  await fs.writeFile(stateFile, JSON.stringify({ pid: child.pid, port }));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      await fs.rm(stateFile, { force: true });
    },
  };
}

async function alreadyRunning(stateFile: string): Promise<{ port: number } | undefined> {
  let state: { pid: number; port: number };
  try {
    state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { pid: number; port: number };
  } catch {
    return undefined;
  }
  try {
    process.kill(state.pid, 0);
  } catch {
    return undefined;
  }
  return (await canConnect(state.port)) ? { port: state.port } : undefined;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartupError(`redis-server on port ${port} exited with code ${child.exitCode} (${lastLine(output())}); set REDIS_URL to a Redis you run instead`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new StartupError(`redis-server did not start listening on port ${port} within 15 s (${lastLine(output())}); set REDIS_URL to a Redis you run instead`);
}

/** redis-server says why it stopped in its last line, e.g. "Can't open the append only file: Permission denied". */
function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.replace(/^\d+:[A-Z] .*? [*#.-] /, '').trim() || 'no output';
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    // SIGTERM makes redis-server flush its append-only file before exiting.
    child.kill('SIGTERM');
  });
}
