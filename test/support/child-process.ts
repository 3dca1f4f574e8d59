import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/earshot.ts');

export interface EarshotProcess {
  child: ChildProcess;
  /** stdout and stderr interleaved. */
  output(): string;
  stdout(): string;
  /** The exit code, once the process ends by itself. */
  exited(): Promise<number | null>;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs the real `earshot` CLI in a separate process, with only the given environment. */
export function spawnEarshot(args: string[], env: Record<string, string>): EarshotProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    // Tests talk to loopback only: no public Jetstream unless a test names a loopback one.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BLUESKY_JETSTREAM_URL: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exit = () => exited;
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    exited: exit,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
