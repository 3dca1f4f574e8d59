/**
 * The stream contract: what a platform's push feed implements (Bluesky's Jetstream
 * first; Mastodon streaming and Google's Pub/Sub notifications are to follow). A
 * stream is one long-running subscription serving every source of one type (or one
 * per endpoint its sources name, e.g. a Mastodon instance), so items arrive seconds after the platform announces them; polling stays on as the
 * safety net.
 *
 * Like connectors, streams never touch the database, the queues or the environment.
 * The runtime (services/streams/) elects one leader per connection across all workers,
 * connects with backoff, batches the events, stores items through the same ingest as
 * polled pages and moves the stream's cursor only once they are committed.
 */

import type { HttpClient, Logger, NormalizedItem } from './contract.ts';

/** A source the stream serves, as stored: its id and its already validated config. */
export interface StreamedSource {
  id: string;
  config: Record<string, unknown>;
  /** Its credentials, for a stream that connects with them (a Mastodon access token); none when absent. */
  credentials?: Record<string, string>;
}

/** One platform event, in the order the platform sent it. */
export interface StreamEvent<P = unknown> {
  /**
   * Where to resume to receive the events after this one (JSON, opaque to the core).
   * Saved after the batch holding the event is committed, and handed back to `connect`.
   */
  cursor: unknown;
  /** When the platform announced the event (Jetstream's time_us): where latency is counted from. */
  announcedAt: Date;
  /** The event as the stream read it, for `route`. */
  payload: P;
}

/** What a batch of events means for the sources watched. */
export interface StreamDelivery {
  /** New or edited items, each for the source that watches it (one item may serve several sources). */
  items: Array<{ sourceId: string; item: NormalizedItem }>;
  /**
   * External ids the platform says no longer exist. A removal seldom says what it
   * matched (a deleted post has no text left), so these are for whichever source holds them.
   */
  removed: string[];
  /**
   * Posts the platform says no longer exist, named only by its own id of the post (a
   * Mastodon deletion names the instance's status id, not the uri): for whichever
   * source holds an item whose stored payload (`raw`) has that `id`.
   */
  removedByPayloadId?: string[];
}

/**
 * config: the endpoint itself is refused (a private address, a refused upgrade):
 *   retried with backoff all the same, and shown in the health until someone fixes the setting.
 * transient: the connection failed, ended or went silent: reconnect with backoff.
 * bad_payload: one message the stream cannot read: skipped; the connection goes on.
 */
export type StreamErrorKind = 'config' | 'transient' | 'bad_payload';

/** A failure a stream understands; anything else is treated as transient. */
export class StreamError extends Error {
  readonly kind: StreamErrorKind;
  constructor(kind: StreamErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StreamError';
    this.kind = kind;
  }
}

/**
 * One connection of a stream whose sources name their own endpoints (a Mastodon
 * instance each): it has its own leader, cursor row and health.
 */
export interface StreamConnection<S = unknown> {
  /**
   * Names the connection within its stream: it ends with its sources' `baseUrl` (their
   * config's), after ':' or '@' if anything comes before it, by which each source's health
   * finds its own connection's row.
   */
  key: string;
  /** Where it connects (a source's URL: the private-address rule applies). */
  endpoint: string;
  /** What it subscribes to, handed to `connect` as `ctx.subscription`; a change reconnects it. */
  subscription: S;
  /** The sources it serves. */
  sourceIds: string[];
}

/** What the runtime lends a stream for one connection. */
export interface StreamContext {
  /**
   * Opens a WebSocket through Earshot's guarded connections: a URL whose host is, or
   * resolves to, a private address is refused unless EARSHOT_ALLOW_PRIVATE_URLS.
   * Rejects with StreamError('config') when the URL is refused. `headers` go with the
   * upgrade request (an Authorization header).
   */
  openWebSocket(url: string, headers?: Record<string, string>): Promise<WebSocket>;
  /**
   * GETs a JSON document the stream reads before it connects (where a Mastodon
   * instance streams), through the same guarded connections; rejects with a StreamError.
   */
  fetchJson(url: string, headers?: Record<string, string>): Promise<unknown>;
  /**
   * The connectors' guarded HTTP client (private-address rule, timeouts, errors as
   * ConnectorError), for a stream that speaks HTTP (a Pub/Sub pull). Its requests end
   * when the worker stops or loses the lease, not when the connection drops, so the
   * batch in hand can still be acknowledged after its commit.
   */
  http: HttpClient;
  log: Logger;
  now(): Date;
  /** Aborted when the worker stops or loses the stream's lease: the connection must end at once. */
  signal: AbortSignal;
  /** The connection's `subscription`, for a stream that declares its connections; undefined otherwise. */
  subscription?: unknown;
}

/** Receives a connection's news, in order. */
export interface StreamListener<P = unknown> {
  /** The platform accepted the subscription. */
  opened(): void;
  event(event: StreamEvent<P>): void;
}

export interface Stream<W = unknown, P = unknown> {
  /** The stream's name, e.g. bluesky_jetstream: one stream of this name per install. */
  id: string;
  /** The type (connector id) of the sources it serves, e.g. bluesky. */
  sourceType: string;
  /** As the logs and docs name it, e.g. "Bluesky Jetstream". */
  displayName: string;
  /** A connection without any message for this long is taken for dead and replaced. */
  silenceTimeoutMs: number;
  /**
   * Runs one connection to `endpoint`, resuming after `cursor` (null: from now), and
   * reports its events to `listener`. Resolves once `ctx.signal` aborts it; rejects
   * with a StreamError when the platform ends it or cannot be reached.
   */
  connect(endpoint: string, cursor: unknown, ctx: StreamContext, listener: StreamListener<P>): Promise<void>;
  /**
   * For a stream whose sources name their own endpoints: the connections that serve
   * them, one per key. Absent: one connection to the stream's setting serves every source.
   */
  connections?(sources: StreamedSource[], log: Logger): StreamConnection[];
  /**
   * True when the platform keeps no replay: each time a connection opens (after a
   * start, a drop or a failover), its sources are polled at once for what was missed.
   */
  catchUpByPoll?: boolean;
  /**
   * How far back the platform replays from a cursor (Jetstream keeps a limited window).
   * A connection that opens resuming from an event older than this (a long stop or down
   * spell) could not get the gap replayed: its sources are polled at once for it.
   */
  replayWindowMs?: number;
  /**
   * Called after each batch of this connection is committed (its items stored, its
   * cursor saved), with the connection's own `ctx`, before the next batch: where a
   * platform that wants each message acknowledged (Pub/Sub) is told, so a message is
   * never acknowledged before its item is stored. A rejection is logged; the platform
   * then delivers the batch again, which the idempotent ingest stores once.
   */
  committed?(events: ReadonlyArray<StreamEvent<P>>, ctx: StreamContext): Promise<void>;
  /** What the active sources watch, prepared once per change of the sources for `route`. */
  watch(sources: StreamedSource[], log: Logger): W;
  /** Matches a batch of events against what the sources watch. Pure. */
  route(events: ReadonlyArray<StreamEvent<P>>, watched: W): StreamDelivery;
}
