import type { Stream, StreamConnection } from '../../connectors/stream-contract.ts';
import { forgetStream, streamedSources } from '../../db/repositories/stream-cursors.ts';
import { pause, reasonOf, runStream, type ConnectionPlan, type RunningStream, type StreamRuntimeDeps } from './run-stream.ts';
import { streamedSourcesOf } from './streamed-source.ts';
import { SOURCES_REREAD_MS } from './watched-sources.ts';

/** A declared connection's lease and row: the stream's id and the connection's key. */
export function connectionRowId(stream: { id: string }, key: string): string {
  return `${stream.id}:${key}`;
}

/** What restarts a connection when it changes: where it connects and what it subscribes to. */
function planPrint(connection: StreamConnection): string {
  return JSON.stringify([connection.endpoint, connection.subscription]);
}

/**
 * A stream whose sources name their endpoints (a Mastodon instance each): one
 * connection per key its sources call for, each led like a stream's one connection
 * (its own lease, cursor row and health). The sources are read again every few
 * seconds: a connection no source needs any more is stopped and its row dropped, one
 * whose endpoint or subscription changed is restarted, and a source joining one that
 * already subscribes to what it watches is served without a restart.
 */
export function runConnections(stream: Stream<any, any>, setting: string, deps: StreamRuntimeDeps): RunningStream {
  const stopping = new AbortController();
  const log = deps.log.child({ stream: stream.id });
  const running = new Map<string, { print: string; run: RunningStream }>();
  const plan = (connection: StreamConnection): ConnectionPlan => ({
    stream,
    endpoint: connection.endpoint,
    setting,
    rowId: connectionRowId(stream, connection.key),
    connection: { key: connection.key, subscription: connection.subscription },
  });

  const follow = async () => {
    const rows = await streamedSources(deps.db, stream.sourceType);
    const wanted = new Map((stream.connections?.(streamedSourcesOf(rows, deps.credentialsKey, log), log) ?? []).map((connection) => [connection.key, connection]));
    for (const [key, { print, run }] of running) {
      const next = wanted.get(key);
      if (next !== undefined && planPrint(next) === print) continue;
      running.delete(key);
      await run.stop();
      // No source needs it any more: its sources show no stream.
      if (next === undefined) await forgetStream(deps.db, connectionRowId(stream, key));
    }
    for (const [key, connection] of wanted) {
      if (!running.has(key)) running.set(key, { print: planPrint(connection), run: runStream(plan(connection), deps) });
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      // PostgreSQL away: the connections running go on; the sources are read again shortly.
      await follow().catch((error: unknown) => log.warn({ err: reasonOf(error) }, `the sources of ${stream.displayName} could not be read`));
      await pause(SOURCES_REREAD_MS, stopping.signal);
    }
    await Promise.all([...running.values()].map(({ run }) => run.stop()));
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
