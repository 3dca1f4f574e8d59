import type { Logger } from '../contract.ts';
import { type Stream, type StreamContext, type StreamDelivery, type StreamEvent, type StreamListener, type StreamedSource } from '../stream-contract.ts';
import { stringList } from '../config-fields.ts';
import { runWebSocket } from '../stream-socket.ts';
import { eventToItem, POST_COLLECTION, postTextOf, readJetstreamEvent, type JetstreamEvent } from './jetstream-event.ts';
import { mentionFilter } from './mention-filter.ts';

/**
 * Resuming rewinds this far behind the last committed event: Jetstream's times are
 * not strictly in order across its upstream connections, and a replayed post changes
 * nothing (ingest is idempotent). At most 5 s, so a restart re-reads little.
 */
export const REWIND_US = 5_000_000;

/** A source's watch: its id and its test of a post's text. */
export interface WatchedSource {
  sourceId: string;
  watches(text: string): boolean;
}

/** The subscription URL: posts only, from `cursor` (Jetstream's time_us, rewound) when resuming. */
export function subscribeUrl(endpoint: string, cursor: unknown): string {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/subscribe`);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  if (typeof cursor === 'number' && Number.isSafeInteger(cursor) && cursor > 0) {
    url.searchParams.set('cursor', String(Math.max(1, cursor - REWIND_US)));
  }
  return url.toString();
}

function watchedSource(source: StreamedSource, log: Logger): WatchedSource | null {
  try {
    const terms = stringList('config', source.config, 'terms', { required: true });
    const excludeTerms = stringList('config', source.config, 'excludeTerms', { required: false });
    return { sourceId: source.id, watches: mentionFilter({ terms, excludeTerms }) };
  } catch (error) {
    // Stored configs were validated when saved; one that no longer reads is left to its poll, which reports it.
    log.warn({ sourceId: source.id, err: error instanceof Error ? error.message : String(error) }, 'a Bluesky source the stream cannot read is left to its poll');
    return null;
  }
}

/** Jetstream needs no subscribing: the URL says it all. Each text message is one event. */
function runConnection(socket: WebSocket, ctx: StreamContext, listener: StreamListener<JetstreamEvent>): Promise<void> {
  return runWebSocket(socket, jetstream, ctx, {
    opened: () => listener.opened(),
    message(text) {
      let event: JetstreamEvent;
      try {
        event = readJetstreamEvent(text);
      } catch (error) {
        ctx.log.warn({ err: (error as Error).message, message: text.slice(0, 500) }, 'an unreadable event was skipped');
        return;
      }
      listener.event({ cursor: event.timeUs, announcedAt: new Date(event.timeUs / 1000), payload: event });
    },
  });
}

/**
 * Bluesky's Jetstream: the whole network's posts as JSON over one WebSocket for the
 * install, each matched here against every active Bluesky source's terms. A post gets
 * the external id the search poll gives it (its at:// uri), so the poll never doubles it.
 */
export const jetstream: Stream<WatchedSource[], JetstreamEvent> = {
  id: 'bluesky_jetstream',
  sourceType: 'bluesky',
  displayName: 'Bluesky Jetstream',
  // The network posts many times a second: a silent minute is a dead connection.
  silenceTimeoutMs: 60_000,
  // How long an instance keeps events to replay is its operator's setting, not in Jetstream's README;
  // the Jetstream v2 docs give 36 h by default. A day stays safely within what a public instance keeps.
  replayWindowMs: 24 * 60 * 60 * 1000,
  async connect(endpoint, cursor, ctx, listener) {
    const socket = await ctx.openWebSocket(subscribeUrl(endpoint, cursor));
    return runConnection(socket, ctx, listener);
  },
  watch(sources, log) {
    return sources.map((source) => watchedSource(source, log)).filter((source) => source !== null);
  },
  route(events: ReadonlyArray<StreamEvent<JetstreamEvent>>, watched: WatchedSource[]): StreamDelivery {
    const delivery: StreamDelivery = { items: [], removed: [] };
    for (const { payload: event } of events) {
      const change = event.post;
      if (change === null) continue;
      if (change.operation === 'delete') {
        delivery.removed.push(change.uri);
        continue;
      }
      const text = postTextOf(change);
      const watchers = watched.filter((source) => source.watches(text));
      if (watchers.length === 0) continue;
      const item = eventToItem(event, change);
      for (const { sourceId } of watchers) delivery.items.push({ sourceId, item });
    }
    return delivery;
  },
};
