/**
 * Runs in its own process, forked by http-load.ts: autocannon sharing an event loop
 * with the servers it measures would take its CPU from them and slow their answers.
 * Receives one LoadRun, answers one LoadFigures, exits.
 */
import autocannon from 'autocannon';
import type { LoadFigures, LoadRun } from './http-load.ts';
import { percentile } from './percentile.ts';

async function measure(run: LoadRun): Promise<LoadFigures> {
  const times: number[] = [];
  const load = autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    headers: run.headers,
    warmup: { connections: run.connections, duration: run.warmupSeconds },
  });
  load.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
  });
  const result = await load;
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: times.length / result.duration,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    answered: times.length,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

process.once('message', (run: LoadRun) => {
  measure(run).then(
    (figures) => process.send!(figures, () => process.disconnect()),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
