import { fork } from 'node:child_process';

/** One load test: `connections` clients asking the same URL back to back. */
export interface LoadRun {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Measured seconds, after `warmupSeconds` of the same load whose figures are dropped. */
  seconds: number;
  warmupSeconds: number;
}

export interface LoadFigures {
  /** 2xx answers per second. */
  requestsPerSecond: number;
  /** Latencies of the 2xx answers, in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  answered: number;
  /** Other statuses, connection errors and timeouts. */
  failed: number;
}

/** Runs autocannon in a child process (see http-load-child.ts) and waits for its figures. */
export function measureLoad(run: LoadRun): Promise<LoadFigures> {
  const child = fork(new URL('./http-load-child.ts', import.meta.url), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let figures: LoadFigures | undefined;
    child.once('message', (message) => {
      figures = message as LoadFigures;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (figures !== undefined) resolve(figures);
      else reject(new Error(`the load generator exited with code ${code} before answering`));
    });
    child.send(run);
  });
}
