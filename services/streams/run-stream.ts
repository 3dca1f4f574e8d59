import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { StreamError, type Stream, type StreamContext, type StreamEvent } from '../../connectors/stream-contract.ts';
import type { Db } from '../../db/database.ts';
import { leaveStream, recordStreamState, streamHeartbeat, takeStreamLead, type StreamStateChange } from '../../db/repositories/stream-cursors.ts';
import type { Queues } from '../jobs/queues.ts';
import type { CredentialsKey } from '../sources/credentials.ts';
import { createConnectorHttp } from '../sources/http/connector-http.ts';
import { requestPollNow } from '../sources/request-poll.ts';
import { commitBatch } from './commit-batch.ts';
import { EventBatches } from './event-batches.ts';
import { jsonFetcher, webSocketOpener } from './open-web-socket.ts';
import { createReconnectBackoff } from './reconnect-backoff.ts';
import { LEASE_MS, RENEW_EVERY_MS, streamLease, type StreamLease } from './stream-lease.ts';
import { streamedSourcesOf } from './streamed-source.ts';
import { SOURCES_REREAD_MS, watchedSources, type StreamedRow } from './watched-sources.ts';

// How long a stream's HTTP request may wait for an answer (and between its chunks).
const STREAM_HTTP_TIMEOUT_MS = 90_000;

export interface StreamRuntimeDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  /** The process's guarded connection pool (services/sources/http/guarded-agent.ts). */
  agent: Dispatcher;
  allowPrivateUrls: boolean;
  /** Opens the sources' credentials, for a stream that connects with them. */
  credentialsKey: CredentialsKey;
}

/**
 * One connection the runtime keeps led across the workers: a stream's one connection
 * (Jetstream), or one of the connections a stream declares from its sources (a
 * Mastodon instance each).
 */
export interface ConnectionPlan {
  stream: Stream<any, any>;
  endpoint: string;
  /** What names the endpoint in messages: the setting, or the source field, it comes from. */
  setting: string;
  /** Its lease and its row in stream_cursors (cursor, leader, health). */
  rowId: string;
  /** For one of a stream's declared connections: its key and what it subscribes to. */
  connection?: { key: string; subscription: unknown };
}

export interface RunningStream {
  /** Stops consuming, lets the batch in hand commit, then gives up the lead. */
  stop(): Promise<void>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one stream in this worker process: waits to become its one leader across all
 * workers (stream-lease.ts), then consumes it until stopped or until the lease is lost.
 */
export function runStream(plan: ConnectionPlan, deps: StreamRuntimeDeps): RunningStream {
  const stopping = new AbortController();
  const log = deps.log.child({ stream: plan.rowId });
  const key = `${deps.queues.prefix}:stream:${plan.rowId}:leader`;
  const running = (async () => {
    while (!stopping.signal.aborted) {
      const lease = streamLease(deps.queues.connection, key, `${hostname()}:${process.pid}:${randomUUID()}`);
      const acquired = await lease.acquire().catch(() => false);
      if (acquired) await lead(plan, deps, lease, log, stopping.signal);
      else await pause(RENEW_EVERY_MS, stopping.signal);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

/** Keeps the lease renewed while leading; aborts `leadership` the moment it is lost. */
function keepLease(lease: StreamLease, deps: StreamRuntimeDeps, streamId: string, leadership: AbortController, log: Logger): { stop(): void; lost(): boolean } {
  let confirmedAt = Date.now();
  let lost = false;
  const lose = (why: string) => {
    if (lost || leadership.signal.aborted) return;
    lost = true;
    log.warn({ why }, 'stream lease lost: this worker stops consuming the stream');
    leadership.abort();
  };
  const timer = setInterval(async () => {
    try {
      if (!(await lease.renew())) return lose('another worker holds the lease');
      confirmedAt = Date.now();
    } catch (error) {
      // Redis is not answering: the lease may run out meanwhile. Stop while it surely has not,
      // so that two workers never consume at once; the lead is taken again once Redis answers.
      if (Date.now() - confirmedAt >= LEASE_MS - RENEW_EVERY_MS) lose(`the lease could not be renewed: ${reasonOf(error)}`);
      return;
    }
    try {
      if (!(await streamHeartbeat(deps.db, streamId, lease.token))) lose('another worker leads the stream');
    } catch (error) {
      log.debug({ err: reasonOf(error) }, 'stream heartbeat not written');
    }
  }, RENEW_EVERY_MS);
  return {
    stop: () => clearInterval(timer),
    lost: () => lost,
  };
}

async function lead(plan: ConnectionPlan, deps: StreamRuntimeDeps, lease: StreamLease, log: Logger, stopping: AbortSignal): Promise<void> {
  const leadership = new AbortController();
  const endLeadership = () => leadership.abort();
  stopping.addEventListener('abort', endLeadership);
  const keeper = keepLease(lease, deps, plan.rowId, leadership, log);
  try {
    log.info({ leader: lease.token }, `this worker leads ${plan.stream.displayName}`);
    await consume(plan, deps, lease.token, leadership, log);
  } catch (error) {
    // PostgreSQL away while taking the lead: give it up and try again shortly.
    log.warn({ err: reasonOf(error) }, `${plan.stream.displayName} could not be led; trying again`);
    await pause(RENEW_EVERY_MS, stopping);
  } finally {
    keeper.stop();
    stopping.removeEventListener('abort', endLeadership);
    if (!keeper.lost()) {
      await leaveStream(deps.db, plan.rowId, lease.token).catch(() => undefined);
      await lease.release().catch(() => undefined);
    }
  }
}

/** The sources one of a stream's declared connections serves, among all the stream's. */
function servedBy(stream: Stream<unknown, unknown>, key: string, deps: StreamRuntimeDeps, log: Logger): (rows: StreamedRow[]) => StreamedRow[] {
  return (rows) => {
    const connections = stream.connections?.(streamedSourcesOf(rows, deps.credentialsKey, log), log) ?? [];
    const served = new Set(connections.find((connection) => connection.key === key)?.sourceIds ?? []);
    return rows.filter((row) => served.has(row.id));
  };
}

/** The consuming loop of a leader: connect, commit batches, reconnect with backoff. */
async function consume(plan: ConnectionPlan, deps: StreamRuntimeDeps, leader: string, leadership: AbortController, log: Logger): Promise<void> {
  const { stream, endpoint, rowId } = plan;
  const signal = leadership.signal;
  let { cursor, lastEventAt: resumesFrom } = await takeStreamLead(deps.db, { id: rowId, sourceType: stream.sourceType }, leader);
  const sources = watchedSources(deps.db, stream, log, plan.connection === undefined ? undefined : servedBy(stream, plan.connection.key, deps, log));
  // commitBatch saves the cursor under the stream's id: the connection's own row.
  const committer: Stream<unknown, unknown> = { ...stream, id: rowId };
  const backoff = createReconnectBackoff();
  const openWebSocket = webSocketOpener(deps.agent, deps.allowPrivateUrls, plan.setting);
  const fetchJson = jsonFetcher(deps.agent, deps.allowPrivateUrls, plan.setting);
  // Lives as long as the lead, not one connection: a batch is still acknowledged after its connection ended.
  // A Pub/Sub pull is held open until messages come (for a bounded time Google does not state): a poll's 15 s would cut it.
  const http = createConnectorHttp({ platform: stream.sourceType, allowPrivateUrls: deps.allowPrivateUrls, signal, log, agent: deps.agent, timeoutMs: STREAM_HTTP_TIMEOUT_MS });
  // Names this leadership's batches (and so their analysis jobs) apart from any other's.
  const leadershipId = leader.split(':').at(-1) ?? leader;
  let batchNumber = 0;
  let failing = false;
  let idle = false;
  const record = async (change: StreamStateChange) => {
    if (!(await recordStreamState(deps.db, rowId, leader, change))) leadership.abort();
  };
  // The platform replays from the cursor no further back than its window: a longer gap is lost to the stream.
  const beyondReplay = () => stream.replayWindowMs !== undefined && resumesFrom !== null && Date.now() - resumesFrom.getTime() > stream.replayWindowMs;
  // A platform without replay, or a gap beyond it: what was posted while no connection listened is read by a poll.
  const catchUp = async (why: string) => {
    const served = [...(await sources.current()).sources.values()];
    for (const source of served) await requestPollNow(deps.db, deps.queues, source.account_id, source.id);
    log.info({ sources: served.length }, `${stream.displayName} ${why}: its sources are polled for what a gap missed`);
  };

  while (!signal.aborted) {
    let upForMs = 0;
    let failure: unknown;
    try {
      if ((await sources.current()).sources.size === 0) {
        // No source to serve: the platform's whole feed is not read for nobody.
        if (!idle) await record({ state: 'down', error: null });
        idle = true;
        await pause(SOURCES_REREAD_MS, signal);
        continue;
      }
      idle = false;
      await record({ state: 'connecting' });
      ({ upForMs, failure } = await connectOnce());
    } catch (error) {
      failure = error;
    }
    if (signal.aborted) break;
    // Ended on purpose: its last source went away (the next round waits for one).
    if (failure === undefined) continue;
    const wait = backoff.next(upForMs);
    const reason = reasonOf(failure);
    // The first failure of a spell is worth a warning; the retries after it are not.
    log[failing ? 'debug' : 'warn']({ err: reason, retryInMs: wait }, `${stream.displayName} disconnected; reconnecting from its cursor`);
    failing = true;
    await record({ state: 'down', error: reason }).catch(() => undefined);
    await pause(wait, signal);
  }

  /** One connection, from open to end, committing its batches; says how long it was up and why it ended. */
  async function connectOnce(): Promise<{ upForMs: number; failure: unknown }> {
    const connection = new AbortController();
    const dropConnection = () => connection.abort();
    signal.addEventListener('abort', dropConnection);
    const batches = new EventBatches<StreamEvent>();
    let openedAt: number | null = null;
    let failure: unknown;
    const ctx: StreamContext = {
      openWebSocket,
      fetchJson: (url, headers) => fetchJson(url, headers, connection.signal),
      http,
      log,
      now: () => new Date(),
      signal: connection.signal,
      subscription: plan.connection?.subscription,
    };
    const ended = stream
      .connect(endpoint, cursor, ctx, {
        opened() {
          openedAt = Date.now();
          failing = false;
          log.info({ resumingAfter: cursor }, `${stream.displayName} connected`);
          record({ state: 'connected' }).catch((error: unknown) => log.debug({ err: reasonOf(error) }, 'stream state not written'));
          const why = stream.catchUpByPoll ? 'keeps no replay' : beyondReplay() ? 'resumes from beyond its replay window' : null;
          if (why !== null) catchUp(why).catch((error: unknown) => log.warn({ err: reasonOf(error) }, 'the catch-up poll was not queued; the next scheduled poll reads what the gap missed'));
        },
        event(event) {
          if (!connection.signal.aborted) batches.push(event);
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error ?? new StreamError('transient', 'the connection failed'),
      )
      .then((error) => {
        failure ??= error;
        connection.abort();
      });
    const commit = async (events: StreamEvent[]) => {
      const current = await sources.current();
      const committed = await commitBatch(deps, committer, leader, `stream-${stream.id}-${leadershipId}-${batchNumber++}`, events, current);
      if (!committed.stillLeading) {
        log.warn('another worker leads the stream now; this one stops consuming');
        leadership.abort();
        return;
      }
      cursor = events.at(-1)?.cursor ?? cursor;
      resumesFrom = events.at(-1)?.announcedAt ?? resumesFrom;
      // Told only now that the batch is stored: a platform acknowledging messages (Pub/Sub) never loses one.
      await stream.committed?.(events, ctx).catch((error: unknown) => log.warn({ err: reasonOf(error) }, `${stream.displayName}: a committed batch was not acknowledged; the platform delivers it again`));
      if (committed.inserted + committed.revised + committed.removed > 0) log.info({ ...committed, events: events.length }, 'stream batch stored');
      // The last source went away: nothing left to read the feed for.
      if (current.sources.size === 0) connection.abort();
    };
    try {
      while (!connection.signal.aborted) {
        const events = await batches.take(connection.signal);
        if (events.length > 0) await commit(events);
      }
      await ended;
      // What arrived before the platform ended the connection is as good as any event;
      // a lost lease or a stop leaves it to the next leader, who replays it from the cursor.
      if (!signal.aborted) for (const events of batches.drain()) await commit(events);
    } catch (error) {
      // PostgreSQL or Redis failed the batch: nothing after the cursor counts; reconnect and replay.
      failure ??= error;
      connection.abort();
      await ended;
    } finally {
      signal.removeEventListener('abort', dropConnection);
    }
    return { upForMs: openedAt === null ? 0 : Date.now() - openedAt, failure };
  }
}
