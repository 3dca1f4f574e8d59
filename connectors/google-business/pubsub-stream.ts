import { ConnectorError, type ConnectorContext, type HttpClient, type Logger, type NormalizedItem } from '../contract.ts';
import { StreamError, type Stream, type StreamConnection, type StreamContext, type StreamDelivery, type StreamedSource } from '../stream-contract.ts';
import { accessToken } from './access-token.ts';
import { readPulledMessages, readReviewNotification, type ReceivedMessage } from './pubsub-message.ts';
import { setReviewNotifications } from './pubsub-notification-setting.ts';
import { recheckReviews } from './recheck.ts';
import { parseConfig, parseSettings, type GoogleBusinessConfig, type GoogleBusinessCredentials } from './settings.ts';

/** A source a subscription's notifications are for: its location, and how it reads reviews. */
interface SubscribedSource {
  sourceId: string;
  config: GoogleBusinessConfig;
  credentials: GoogleBusinessCredentials;
}

/** What one connection pulls: a subscription, for the sources that name it. */
export interface PubsubSubscription {
  subscription: string;
  sources: SubscribedSource[];
}

/** A review a notification named, as reviews.get shows it now (or gone), for its location's sources. */
export type PubsubPayload = { location: string; item: NormalizedItem } | { location: string; removedReviewId: string };

// Pub/Sub's pull answers at most this many at once; a batch of the runtime holds 100 events.
const MAX_MESSAGES = 100;
// An access token lives an hour: refreshed well before.
const TOKEN_REFRESH_MS = 30 * 60_000;

const locationKey = (accountId: string, locationId: string) => `${accountId}/${locationId}`;

/** Access tokens of one connection, one per refresh token its sources hold. */
function tokenCache(http: HttpClient) {
  const tokens = new Map<string, { token: Promise<string>; at: number }>();
  return {
    get(source: SubscribedSource): Promise<string> {
      const held = tokens.get(source.credentials.refreshToken);
      if (held !== undefined && Date.now() - held.at < TOKEN_REFRESH_MS) return held.token;
      const token = accessToken(http, source.config, source.credentials);
      tokens.set(source.credentials.refreshToken, { token, at: Date.now() });
      // A refusal is not kept: the next call asks again.
      token.catch(() => tokens.delete(source.credentials.refreshToken));
      return token;
    },
  };
}

/** What a connection keeps for its `committed` calls: where it pulls, and as whom. */
interface ConnectionState {
  endpoint: string;
  subscription: PubsubSubscription;
  tokens: ReturnType<typeof tokenCache>;
}
const connections = new WeakMap<StreamContext, ConnectionState>();

/** Pub/Sub's refusals: a subscription that is not there, or not the account's to read, needs the owner. */
function pubsubFailure(error: unknown, subscription: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'config') {
    // Other refusals (a revoked refresh token, a private address) say what to fix already.
    const advice =
      error.status === 404
        ? `; there is no subscription ${subscription}: create a pull subscription and put its name in config.pubsubSubscription`
        : error.status === 403
          ? `; grant the Google account Earshot reads reviews as roles/pubsub.subscriber on ${subscription}`
          : '';
    return new StreamError('config', `${error.message}${advice}`, { cause: error });
  }
  return new StreamError('transient', error.message, { cause: error });
}

function subscriptionUrl(endpoint: string, subscription: string, verb: 'pull' | 'acknowledge'): string {
  // The subscription's name keeps its slashes: it is the path (`/v1/projects/P/subscriptions/S:pull`).
  return `${endpoint}/v1/${subscription.split('/').map(encodeURIComponent).join('/')}:${verb}`;
}

async function acknowledge(ctx: { http: HttpClient }, state: ConnectionState, ackIds: string[]): Promise<void> {
  if (ackIds.length === 0) return;
  const token = await state.tokens.get(state.subscription.sources[0]!);
  await ctx.http
    .send({
      method: 'POST',
      url: subscriptionUrl(state.endpoint, state.subscription.subscription, 'acknowledge'),
      headers: { authorization: `Bearer ${token}` },
      body: { ackIds },
      label: 'Pub/Sub acknowledge',
    })
    .catch((error: unknown) => {
      throw pubsubFailure(error, state.subscription.subscription);
    });
}

/**
 * Sets each account's notification setting to its sources' topic, once per connection:
 * a refusal is logged for the owner and pulling goes on, as the setting may have been
 * made by hand.
 */
async function setNotificationSettings(ctx: StreamContext, state: ConnectionState): Promise<void> {
  const done = new Set<string>();
  for (const source of state.subscription.sources) {
    const { pubsubTopic, accountId } = source.config;
    if (pubsubTopic === undefined || done.has(`${accountId} ${pubsubTopic}`)) continue;
    done.add(`${accountId} ${pubsubTopic}`);
    try {
      await setReviewNotifications(ctx.http, { ...source.config, pubsubTopic }, await state.tokens.get(source));
      ctx.log.info({ accountId, pubsubTopic }, 'the Business Profile account publishes its new and edited reviews to the topic');
    } catch (error) {
      ctx.log.warn({ sourceId: source.sourceId, err: error instanceof Error ? error.message : String(error) }, 'the notification setting could not be set; the subscription is read all the same');
    }
  }
}

/**
 * One received message: the review it names, looked up with reviews.get as the poll
 * would read it, reported as an event acknowledged once committed. Returns the ackId
 * when the message is to be acknowledged at once (nothing to store: another type, a
 * location no source watches, a message that cannot be read), null otherwise.
 */
async function readMessage(
  received: ReceivedMessage,
  state: ConnectionState,
  connector: ConnectorContext,
  report: (event: { cursor: string; announcedAt: Date; payload: PubsubPayload }) => void,
): Promise<string | null> {
  let notification;
  try {
    notification = readReviewNotification(received.message);
  } catch (error) {
    // Never redelivered for ever: an unreadable message is dropped, and said so.
    connector.log.warn({ kind: 'bad_payload', err: (error as Error).message, messageId: received.message.messageId }, 'an unreadable Pub/Sub message was acknowledged and skipped');
    return received.ackId;
  }
  if (notification === null) return received.ackId;
  const location = locationKey(notification.accountId, notification.locationId);
  const source = state.subscription.sources.find(({ config }) => locationKey(config.accountId, config.locationId) === location);
  if (source === undefined) {
    connector.log.debug({ location }, 'a review notification for a location no source watches was acknowledged and ignored');
    return received.ackId;
  }
  let found;
  try {
    found = await recheckReviews(connector, source.config, await state.tokens.get(source), [notification.reviewId]);
  } catch (error) {
    if (!(error instanceof ConnectorError && error.kind === 'bad_payload')) throw error;
    // A review Google answers unreadably would come again and again: skipped, as the poll skips it.
    connector.log.warn({ kind: 'bad_payload', err: error.message, reviewId: notification.reviewId }, 'a notified review Google answered unreadably was acknowledged and skipped');
    return received.ackId;
  }
  const announcedAt = notification.publishedAt ?? connector.now();
  const [item] = found.items;
  if (item !== undefined) report({ cursor: received.ackId, announcedAt, payload: { location, item } });
  else if (found.removed.length > 0) report({ cursor: received.ackId, announcedAt, payload: { location, removedReviewId: notification.reviewId } });
  // Google said nothing clear of the review (a 403): left unacknowledged, it comes again after the ack deadline.
  else connector.log.warn({ location, reviewId: notification.reviewId }, 'a notified review could not be read; Pub/Sub delivers it again');
  return null;
}

/** The config of a stored source, when it reads; a stored config that no longer reads is left to its poll. */
function configOf(source: StreamedSource, log: Logger): GoogleBusinessConfig | null {
  try {
    return parseConfig(source.config);
  } catch (error) {
    log.debug({ sourceId: source.id, err: (error as Error).message }, 'a Google Business Profile source the stream cannot read is left to its poll');
    return null;
  }
}

/**
 * Google Business Profile review notifications, read from a Cloud Pub/Sub pull
 * subscription (no public endpoint needed): one connection per subscription the sources
 * name, pulling with the OAuth token the connector reads reviews with. Each NEW_REVIEW or
 * UPDATED_REVIEW message is followed by reviews.get of the review it names, kept as the
 * poll keeps it (the same external id: the poll never doubles it), and the message is
 * acknowledged only after its batch is committed. Unacknowledged messages stay in the
 * subscription (seven days by default) and come again: there is nothing to catch up by poll.
 */
export const googlePubsubStream: Stream<Map<string, string[]>, PubsubPayload> = {
  id: 'google_business_pubsub',
  sourceType: 'google_business',
  displayName: 'Google Business Profile notifications',
  // Pulls answer every few seconds, empty or not: the connection is its own heartbeat.
  silenceTimeoutMs: 10 * 60_000,
  connections(sources, log): Array<StreamConnection<PubsubSubscription>> {
    const bySubscription = new Map<string, { endpoint: string; subscription: PubsubSubscription }>();
    for (const source of sources) {
      let settings;
      try {
        settings = parseSettings(source.config, source.credentials ?? {});
      } catch {
        continue;
      }
      const { config, credentials } = settings;
      if (config.pubsubSubscription === undefined) continue;
      const name = `${config.pubsubBaseUrl} ${config.pubsubSubscription}`;
      const connection = bySubscription.get(name) ?? { endpoint: config.pubsubBaseUrl, subscription: { subscription: config.pubsubSubscription, sources: [] } };
      bySubscription.set(name, connection);
      connection.subscription.sources.push({ sourceId: source.id, config, credentials });
    }
    return [...bySubscription.values()].map(({ endpoint, subscription }) => ({
      // Ends with the sources' baseUrl, by which each source's health finds its connection.
      key: `${subscription.subscription}@${subscription.sources[0]!.config.baseUrl}`,
      endpoint,
      subscription,
      sourceIds: subscription.sources.map(({ sourceId }) => sourceId),
    }));
  },
  async connect(endpoint, _cursor, ctx, listener) {
    const subscription = ctx.subscription as PubsubSubscription;
    const state: ConnectionState = { endpoint, subscription, tokens: tokenCache(ctx.http) };
    connections.set(ctx, state);
    const connector: ConnectorContext = { http: ctx.http, log: ctx.log, now: ctx.now, signal: ctx.signal };
    await setNotificationSettings(ctx, state);
    let opened = false;
    while (!ctx.signal.aborted) {
      let received: ReceivedMessage[];
      try {
        const token = await state.tokens.get(subscription.sources[0]!);
        // Pub/Sub holds the request until messages arrive or a few seconds pass.
        const { body } = await ctx.http.json({
          method: 'POST',
          url: subscriptionUrl(endpoint, subscription.subscription, 'pull'),
          headers: { authorization: `Bearer ${token}` },
          body: { maxMessages: MAX_MESSAGES },
          label: 'Pub/Sub pull',
        });
        received = readPulledMessages(body);
      } catch (error) {
        if (ctx.signal.aborted) return;
        throw pubsubFailure(error, subscription.subscription);
      }
      if (!opened) {
        opened = true;
        listener.opened();
      }
      const settled: string[] = [];
      for (const message of received) {
        if (ctx.signal.aborted) return;
        const ackId = await readMessage(message, state, connector, (event) => listener.event(event)).catch((error: unknown) => {
          if (ctx.signal.aborted) return null;
          throw error instanceof ConnectorError ? new StreamError(error.kind === 'config' ? 'config' : 'transient', error.message, { cause: error }) : error;
        });
        if (ackId !== null) settled.push(ackId);
      }
      await acknowledge(ctx, state, settled);
    }
  },
  async committed(events, ctx) {
    const state = connections.get(ctx);
    if (state === undefined) return;
    await acknowledge(ctx, state, events.map((event) => String(event.cursor)));
  },
  watch(sources, log) {
    const watched = new Map<string, string[]>();
    for (const source of sources) {
      const config = configOf(source, log);
      if (config?.pubsubSubscription === undefined) continue;
      const location = locationKey(config.accountId, config.locationId);
      watched.set(location, [...(watched.get(location) ?? []), source.id]);
    }
    return watched;
  },
  route(events, watched): StreamDelivery {
    const delivery: StreamDelivery = { items: [], removed: [] };
    for (const { payload } of events) {
      if ('removedReviewId' in payload) {
        delivery.removed.push(payload.removedReviewId);
        continue;
      }
      for (const sourceId of watched.get(payload.location) ?? []) delivery.items.push({ sourceId, item: payload.item });
    }
    return delivery;
  },
};
