import type { Logger } from '../contract.ts';
import { StreamError, type Stream, type StreamContext, type StreamDelivery, type StreamEvent, type StreamListener, type StreamedSource } from '../stream-contract.ts';
import { stringList } from '../config-fields.ts';
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

function closeReason(event: CloseEvent): string {
  return event.code === 1006 ? 'the connection failed or was cut' : `closed with ${event.code}${event.reason === '' ? '' : ` (${event.reason})`}`;
}

function runConnection(socket: WebSocket, stream: { displayName: string; silenceTimeoutMs: number }, ctx: StreamContext, listener: StreamListener<JetstreamEvent>): Promise<void> {
  return new Promise((resolve, reject) => {
    let silence: NodeJS.Timeout | undefined;
    const finish = (error?: StreamError) => {
      clearTimeout(silence);
      ctx.signal.removeEventListener('abort', onAbort);
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      if (error === undefined) resolve();
      else reject(error);
    };
    const listen = () => {
      clearTimeout(silence);
      silence = setTimeout(() => finish(new StreamError('transient', `${stream.displayName} sent nothing for ${stream.silenceTimeoutMs / 1000} s`)), stream.silenceTimeoutMs);
    };
    const onAbort = () => finish();
    ctx.signal.addEventListener('abort', onAbort);
    listen();
    socket.onopen = () => {
      listen();
      listener.opened();
    };
    socket.onmessage = (message) => {
      listen();
      if (typeof message.data !== 'string') {
        ctx.log.warn({ stream: stream.displayName }, 'a binary message was skipped (compression is not asked for)');
        return;
      }
      let event: JetstreamEvent;
      try {
        event = readJetstreamEvent(message.data);
      } catch (error) {
        ctx.log.warn({ err: (error as Error).message, message: message.data.slice(0, 500) }, 'an unreadable event was skipped');
        return;
      }
      listener.event({ cursor: event.timeUs, announcedAt: new Date(event.timeUs / 1000), payload: event });
    };
    socket.onclose = (event) => finish(new StreamError('transient', `${stream.displayName} ${closeReason(event)}`));
    if (ctx.signal.aborted) finish();
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
  async connect(endpoint, cursor, ctx, listener) {
    const socket = await ctx.openWebSocket(subscribeUrl(endpoint, cursor));
    return runConnection(socket, jetstream, ctx, listener);
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
