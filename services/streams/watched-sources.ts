import type { Logger } from 'pino';
import type { Stream } from '../../connectors/stream-contract.ts';
import type { Db } from '../../db/database.ts';
import { streamedSources } from '../../db/repositories/stream-cursors.ts';
import type { IngestSource } from '../ingest/ingest-page.ts';

/** A source added, changed, paused or resumed is served (or no longer) within this time. */
export const SOURCES_REREAD_MS = 5_000;

/** A source of the stream's type as stored. */
export type StreamedRow = Awaited<ReturnType<typeof streamedSources>>[number];

export interface Watched<W> {
  /** The sources served, by id, as ingest needs them. */
  sources: ReadonlyMap<string, IngestSource>;
  /** What they watch, as the stream prepared it. */
  watched: W;
}

/**
 * The sources a stream serves, read again every few seconds; the stream prepares what
 * they watch (e.g. their terms' patterns) only when something about them changed.
 * `select` keeps those one connection serves, for a stream with a connection per endpoint.
 */
export function watchedSources<W>(
  db: Db,
  stream: Stream<W, unknown>,
  log: Logger,
  select: (rows: StreamedRow[]) => StreamedRow[] = (rows) => rows,
): { current(): Promise<Watched<W>> } {
  let readAt = Number.NEGATIVE_INFINITY;
  let fingerprint: string | undefined;
  let latest: Watched<W> | undefined;
  return {
    async current() {
      if (latest !== undefined && Date.now() - readAt < SOURCES_REREAD_MS) return latest;
      const rows = select(await streamedSources(db, stream.sourceType));
      readAt = Date.now();
      const print = JSON.stringify(rows);
      if (latest === undefined || print !== fingerprint) {
        fingerprint = print;
        latest = { sources: new Map(rows.map((row) => [row.id, row])), watched: stream.watch(rows.map(({ id, config }) => ({ id, config })), log) };
      }
      return latest;
    },
  };
}
