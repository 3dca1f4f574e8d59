import type { Config } from '../../config/config.ts';
import { forgetStream } from '../../db/repositories/stream-cursors.ts';
import { runConnections } from './run-connections.ts';
import { runStream, type RunningStream, type StreamRuntimeDeps } from './run-stream.ts';
import { configuredStreams, sourceEndpointStreams } from './streams.ts';

/**
 * Every configured stream, started with the worker role: each worker process runs
 * every stream's runtime, and one of them at a time leads each stream's connection
 * (the one of a stream like Jetstream, or each of those a Mastodon stream's sources call for).
 */
export function startStreams(config: Config, deps: Omit<StreamRuntimeDeps, 'allowPrivateUrls'>): { stop(): Promise<void> } {
  const running: RunningStream[] = [];
  const runtimeDeps = { ...deps, allowPrivateUrls: config.allowPrivateUrls };
  for (const plan of configuredStreams(config)) {
    const { endpoint } = plan;
    if (endpoint === null) {
      // Turned off: its sources are polled only, and their health shows no stream.
      forgetStream(deps.db, plan.stream.id).catch((error: unknown) =>
        deps.log.warn({ stream: plan.stream.id, err: error instanceof Error ? error.message : String(error) }, 'the state of a stream turned off was not cleared'),
      );
      continue;
    }
    running.push(runStream({ ...plan, endpoint, rowId: plan.stream.id }, runtimeDeps));
  }
  for (const { stream, setting } of sourceEndpointStreams()) running.push(runConnections(stream, setting, runtimeDeps));
  return {
    async stop() {
      await Promise.all(running.map((stream) => stream.stop()));
    },
  };
}
