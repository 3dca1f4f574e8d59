import { createHash } from 'node:crypto';
import type { Logger } from '../contract.ts';
import { containsAnyTerm } from '../mention-terms.ts';
import { dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';
import type { Stream, StreamConnection, StreamContext, StreamDelivery, StreamEvent, StreamListener, StreamedSource } from '../stream-contract.ts';
import { runWebSocket } from '../stream-socket.ts';
import { parseSettings } from './settings.ts';
import { original, statusText, statusToItem, type Status } from './status.ts';
import { readStreamMessage, statusTags } from './stream-event.ts';

/** What one instance's connection subscribes to: each hashtag its sources follow, and the public timeline for their terms. */
export interface MastodonSubscription {
  hashtags: string[];
  /** Every public post the instance knows, matched here against the sources' terms (as status search would find them). */
  public: boolean;
  /** The sources' access token, when they give one: the instance may refuse streams without, and applies its account's mutes and blocks. */
  accessToken?: string;
}

/** A post written or edited, or one deleted: by its uri when this connection saw it, else by the instance's id of it. */
export type MastodonStreamPayload = { kind: 'status'; status: Status } | { kind: 'removal'; uri: string } | { kind: 'removal'; statusId: string };

/** A source's watch: its id and its test of a status, as its poll would keep it. */
export interface WatchedStatusSource {
  sourceId: string;
  watches(status: Status): boolean;
}

// The ids of the statuses a connection has seen, to name a deleted one by its uri (a deletion names only the instance's id).
const REMEMBERED_STATUSES = 10_000;

function settingsOf(source: StreamedSource, log: Logger) {
  try {
    return parseSettings(source.config, source.credentials ?? {});
  } catch (error) {
    // Stored configs were validated when saved; one that no longer reads is left to its poll, which reports it.
    log.debug({ sourceId: source.id, err: error instanceof Error ? error.message : String(error) }, 'a Mastodon source the stream cannot read is left to its poll');
    return null;
  }
}

/**
 * The poll keeps every post of a followed hashtag's timeline and every post status
 * search finds that really contains a term, and drops those containing an excluded
 * term: the stream keeps the same posts.
 */
function watchedSource(source: StreamedSource, log: Logger): WatchedStatusSource | null {
  const config = settingsOf(source, log)?.config;
  if (config === undefined) return null;
  const followed = new Set(config.hashtags);
  const mentionsTerm = containsAnyTerm(config.terms);
  const mentionsExcluded = containsAnyTerm(config.excludeTerms);
  return {
    sourceId: source.id,
    watches(status) {
      const text = statusText(status);
      return (statusTags(status).some((tag) => followed.has(tag)) || mentionsTerm(text)) && !mentionsExcluded(text);
    },
  };
}

/**
 * One connection per instance, and per access token when its sources give different
 * ones (each account sees the instance through its own mutes and blocks): the instance's
 * URL, after a digest of the token that names it without revealing it.
 */
export function connectionKey(baseUrl: string, accessToken: string | undefined): string {
  if (accessToken === undefined) return baseUrl;
  return `${createHash('sha256').update(accessToken).digest('hex').slice(0, 12)}@${baseUrl}`;
}

/** The instance's streaming WebSocket, e.g. wss://streaming.mastodon.social/api/v1/streaming, subscribed to after it opens. */
export function streamingUrl(base: string): string {
  const url = new URL(`${base.replace(/\/+$/, '')}/api/v1/streaming`);
  url.protocol = url.protocol === 'http:' || url.protocol === 'ws:' ? 'ws:' : 'wss:';
  return url.toString();
}

/** The instance's `configuration.urls.streaming`, when it names a WebSocket URL. */
export function announcedStreamingBase(instance: unknown): string | null {
  const urls = isRecord(instance) && isRecord(instance.configuration) ? instance.configuration.urls : null;
  const streaming = isRecord(urls) ? stringOrNull(urls.streaming) : null;
  return streaming !== null && /^wss?:\/\//i.test(streaming) ? streaming : null;
}

/**
 * Where the instance streams: the streaming URL it announces (a large instance runs its
 * streaming server on a host of its own, e.g. wss://streaming.mastodon.social, and its
 * web host only redirects there, which a WebSocket does not follow), else its own URL.
 */
async function streamingBase(baseUrl: string, ctx: StreamContext, headers: Record<string, string> | undefined): Promise<string> {
  try {
    return announcedStreamingBase(await ctx.fetchJson(`${baseUrl.replace(/\/+$/, '')}/api/v2/instance`, headers)) ?? baseUrl;
  } catch (error) {
    ctx.log.debug({ err: error instanceof Error ? error.message : String(error) }, 'the instance did not say where it streams; trying its own URL');
    return baseUrl;
  }
}

/** One subscribe message per hashtag (the instance takes one tag per subscription), and one for the public timeline. */
export function subscribeMessages(subscription: MastodonSubscription): string[] {
  const messages = subscription.hashtags.map((tag) => JSON.stringify({ type: 'subscribe', stream: 'hashtag', tag }));
  if (subscription.public) messages.push(JSON.stringify({ type: 'subscribe', stream: 'public' }));
  return messages;
}

/** Where latency is counted from: when the post was written, or last edited. */
function announcedAt(status: Status, edited: boolean, now: Date): Date {
  const post = original(status);
  return (edited ? dateOrNull(post.edited_at) : null) ?? dateOrNull(post.created_at) ?? now;
}

function runConnection(socket: WebSocket, ctx: StreamContext, listener: StreamListener<MastodonStreamPayload>): Promise<void> {
  const subscription = ctx.subscription as MastodonSubscription;
  const uris = new Map<string, string>();
  return runWebSocket(socket, mastodonStream, ctx, {
    opened(open) {
      for (const message of subscribeMessages(subscription)) open.send(message);
      listener.opened();
    },
    message(text) {
      let message;
      try {
        message = readStreamMessage(text);
      } catch (error) {
        ctx.log.warn({ err: (error as Error).message, message: text.slice(0, 500) }, 'an unreadable message was skipped');
        return;
      }
      if (message.kind === 'refused') {
        ctx.log.warn({ err: message.error }, 'the Mastodon instance refused a subscription; its sources are still polled');
      } else if (message.kind === 'status') {
        const post = original(message.status);
        uris.delete(post.id);
        uris.set(post.id, post.uri);
        if (uris.size > REMEMBERED_STATUSES) uris.delete(uris.keys().next().value!);
        listener.event({ cursor: message.status.id, announcedAt: announcedAt(message.status, message.edited, ctx.now()), payload: { kind: 'status', status: message.status } });
      } else if (message.kind === 'delete') {
        // A post this connection never saw (stored by a poll) is found by the instance's id in its stored payload.
        const uri = uris.get(message.statusId);
        const payload: MastodonStreamPayload = uri === undefined ? { kind: 'removal', statusId: message.statusId } : { kind: 'removal', uri };
        listener.event({ cursor: message.statusId, announcedAt: ctx.now(), payload });
      }
    },
  });
}

/**
 * Mastodon's streaming API: one WebSocket per instance the sources read from (their
 * baseUrl; and per access token, when they give different ones), subscribed to each hashtag they follow and, when they search for terms, to
 * the public timeline, matched here as the poll matches. A post gets the id the poll
 * gives it (its ActivityPub uri), so the poll never doubles it. Mastodon keeps no
 * replay: each time a connection opens, its sources are polled for what a gap missed.
 */
export const mastodonStream: Stream<WatchedStatusSource[], MastodonStreamPayload> = {
  id: 'mastodon',
  sourceType: 'mastodon',
  displayName: 'Mastodon streaming',
  // A quiet hashtag may say nothing for hours; a connection silent this long is replaced (and its gap polled).
  silenceTimeoutMs: 15 * 60_000,
  catchUpByPoll: true,
  connections(sources, log): Array<StreamConnection<MastodonSubscription>> {
    const byKey = new Map<string, { baseUrl: string; accessToken: string | undefined; hashtags: Set<string>; public: boolean; sourceIds: string[] }>();
    for (const source of sources) {
      const settings = settingsOf(source, log);
      if (settings === null) continue;
      const { config } = settings;
      const { accessToken } = settings.credentials;
      const key = connectionKey(config.baseUrl, accessToken);
      const connection = byKey.get(key) ?? { baseUrl: config.baseUrl, accessToken, hashtags: new Set<string>(), public: false, sourceIds: [] };
      byKey.set(key, connection);
      for (const tag of config.hashtags) connection.hashtags.add(tag);
      connection.public ||= config.terms.length > 0;
      connection.sourceIds.push(source.id);
    }
    return [...byKey].map(([key, connection]) => ({
      key,
      endpoint: connection.baseUrl,
      subscription: {
        hashtags: [...connection.hashtags].sort(),
        public: connection.public,
        ...(connection.accessToken === undefined ? {} : { accessToken: connection.accessToken }),
      },
      sourceIds: connection.sourceIds,
    }));
  },
  async connect(endpoint, _cursor, ctx, listener) {
    const { accessToken } = ctx.subscription as MastodonSubscription;
    const headers = accessToken === undefined ? undefined : { Authorization: `Bearer ${accessToken}` };
    const socket = await ctx.openWebSocket(streamingUrl(await streamingBase(endpoint, ctx, headers)), headers);
    return runConnection(socket, ctx, listener);
  },
  watch(sources, log) {
    return sources.map((source) => watchedSource(source, log)).filter((source) => source !== null);
  },
  route(events: ReadonlyArray<StreamEvent<MastodonStreamPayload>>, watched: WatchedStatusSource[]): StreamDelivery {
    const delivery: Required<StreamDelivery> = { items: [], removed: [], removedByPayloadId: [] };
    for (const { payload } of events) {
      if (payload.kind === 'removal') {
        if ('uri' in payload) delivery.removed.push(payload.uri);
        else delivery.removedByPayloadId.push(payload.statusId);
        continue;
      }
      const watchers = watched.filter((source) => source.watches(payload.status));
      if (watchers.length === 0) continue;
      const item = statusToItem(payload.status);
      for (const { sourceId } of watchers) delivery.items.push({ sourceId, item });
    }
    return delivery;
  },
};
