import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Google for the Business Profile notifications stream, speaking the real
 * protocols on one port (so one URL serves as every base URL of the source):
 * - OAuth: `POST /token` (grant_type=refresh_token) → `{access_token}`.
 * - Business Profile v4: `GET /v4/accounts/{a}/locations/{l}/reviews` (the poll) and
 *   `GET …/reviews/{r}` (reviews.get; 404 for a review that is not there).
 * - My Business Notifications v1: `PATCH /v1/accounts/{a}/notificationSetting?updateMask=…`,
 *   recorded; `refuseNotificationSetting` makes it answer 403 PERMISSION_DENIED.
 * - Cloud Pub/Sub v1: `POST /v1/projects/{p}/subscriptions/{s}:pull` `{maxMessages}` →
 *   `{receivedMessages: [{ackId, message: {data (base64 JSON), attributes, messageId,
 *   publishTime}, deliveryAttempt}]}`, held up to `pullHoldMs` while nothing is waiting; a
 *   pulled message is leased for `ackDeadlineMs` and delivered again (a new ackId) unless
 *   `POST …:acknowledge` `{ackIds}` took it by then, as Pub/Sub does.
 * Every request needs `Authorization: Bearer <the token it gave>`.
 */

export interface FakeReview extends Record<string, unknown> {
  name: string;
  reviewId: string;
  starRating: string;
  comment: string;
  createTime: string;
  updateTime: string;
}

interface Message {
  messageId: string;
  data: string;
  publishTime: string;
  /** Until when the last delivery holds it; 0: not delivered, or its lease ran out. */
  leasedUntil: number;
  deliveries: number;
  acked: boolean;
}

export interface FakeGooglePubsub {
  url: string;
  accountId: string;
  locationId: string;
  subscription: string;
  topic: string;
  /** Adds a review (or edits it) and publishes the notification Google would. */
  publishReview(review: { reviewId: string; stars: 'ONE' | 'TWO' | 'THREE' | 'FOUR' | 'FIVE'; comment: string }, type?: 'NEW_REVIEW' | 'UPDATED_REVIEW'): FakeReview;
  /** Publishes any message data as is (a notification for another location, or junk). */
  publishRaw(data: string): string;
  /** Messages published but not acknowledged. */
  unacked(): number;
  /** How many times each message was delivered, by messageId. */
  deliveries(): Record<string, number>;
  /** Every acknowledge request's ackIds, in order. */
  acks: string[][];
  /** Runs before an acknowledge is taken: return false to leave the messages unacknowledged (the worker died). */
  beforeAcknowledge: ((ackIds: string[]) => Promise<boolean>) | null;
  /** Runs before a reviews.get is answered: the test may hold it. */
  beforeReviewGet: ((reviewId: string) => Promise<void>) | null;
  notificationSettings: Array<{ path: string; updateMask: string | null; body: unknown }>;
  refuseNotificationSetting: boolean;
  reviewGets: string[];
  /** Reviews whose reviews.get answers a body that is not the review. */
  garbledReviews: Set<string>;
  /** How many times the poll listed the reviews. */
  reviewLists: number;
  pulls: number;
  /**
   * While above zero, a pull that hands out messages is cut off before its answer (the
   * socket destroyed mid-request), one per unit: the messages stay leased, never acknowledged,
   * and come again once their ack deadline passes, as Pub/Sub does.
   */
  dropPullsWithMessages: number;
  /** A google_business source reading this server's location, its subscription and (with `topic`) setting its topic. */
  source(options: { topic: boolean }): { type: 'google_business'; config: Record<string, string>; credentials: Record<string, string> };
  stop(): Promise<void>;
}

const TOKEN = 'ya29.loopback-access-token';

export async function startFakeGooglePubsub(options: { ackDeadlineMs?: number; pullHoldMs?: number } = {}): Promise<FakeGooglePubsub> {
  const ackDeadlineMs = options.ackDeadlineMs ?? 10_000;
  const pullHoldMs = options.pullHoldMs ?? 500;
  const accountId = '1122334455';
  const locationId = '9988776655';
  const reviews = new Map<string, FakeReview>();
  const messages: Message[] = [];
  const ackIdsOf = new Map<string, Message>();
  let nextMessage = 1;
  let nextAck = 1;
  const waiting = new Set<() => void>();

  const location = `accounts/${accountId}/locations/${locationId}`;
  const reviewsPath = `/v4/${location}/reviews`;

  const deliverable = () => messages.filter((message) => !message.acked && message.leasedUntil <= Date.now());
  const publish = (data: string): Message => {
    const message: Message = { messageId: String(nextMessage++), data, publishTime: new Date().toISOString(), leasedUntil: 0, deliveries: 0, acked: false };
    messages.push(message);
    for (const wake of waiting) wake();
    return message;
  };

  async function readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '') return {};
    return req.headers['content-type']?.includes('json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
  }

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  const error = (status: number, code: string, message: string) => ({ error: { code: status, message, status: code } });

  async function pull(body: unknown): Promise<unknown> {
    const max = typeof (body as { maxMessages?: unknown }).maxMessages === 'number' ? (body as { maxMessages: number }).maxMessages : 1;
    const until = Date.now() + pullHoldMs;
    while (deliverable().length === 0 && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(50, until - Date.now()));
        waiting.add(wake);
      });
    }
    const receivedMessages = deliverable()
      .slice(0, max)
      .map((message) => {
        message.leasedUntil = Date.now() + ackDeadlineMs;
        message.deliveries += 1;
        const ackId = `ack-${nextAck++}`;
        ackIdsOf.set(ackId, message);
        return { ackId, message: { data: message.data, attributes: {}, messageId: message.messageId, publishTime: message.publishTime }, deliveryAttempt: message.deliveries };
      });
    return receivedMessages.length === 0 ? {} : { receivedMessages };
  }

  const fake: FakeGooglePubsub = {
    url: '',
    accountId,
    locationId,
    subscription: 'projects/earshot-test/subscriptions/earshot-reviews',
    topic: 'projects/earshot-test/topics/business-reviews',
    acks: [],
    beforeAcknowledge: null,
    beforeReviewGet: null,
    notificationSettings: [],
    refuseNotificationSetting: false,
    reviewGets: [],
    garbledReviews: new Set(),
    reviewLists: 0,
    pulls: 0,
    dropPullsWithMessages: 0,
    publishReview({ reviewId, stars, comment }, type = 'NEW_REVIEW') {
      const now = new Date().toISOString();
      const name = `${location}/reviews/${reviewId}`;
      const previous = reviews.get(reviewId);
      const review: FakeReview = { name, reviewId, reviewer: { displayName: 'Pat' }, starRating: stars, comment, createTime: previous?.createTime ?? now, updateTime: now };
      reviews.set(reviewId, review);
      // As Google's reference names the fields of a review notification.
      publish(Buffer.from(JSON.stringify({ type, reviewName: name, locationName: location })).toString('base64'));
      return review;
    },
    publishRaw(data) {
      return publish(data).messageId;
    },
    source({ topic }) {
      const { url } = fake;
      return {
        type: 'google_business',
        config: {
          accountId,
          locationId,
          baseUrl: url,
          tokenBaseUrl: url,
          pubsubSubscription: fake.subscription,
          pubsubBaseUrl: url,
          ...(topic ? { pubsubTopic: fake.topic, notificationsBaseUrl: url } : {}),
        },
        credentials: { clientId: '123-synthetic.apps.googleusercontent.com', clientSecret: 'GOCSPX-Synthetic', refreshToken: '1//0gSyntheticRefreshToken' },
      };
    },
    unacked: () => messages.filter((message) => !message.acked).length,
    deliveries: () => Object.fromEntries(messages.map((message) => [message.messageId, message.deliveries])),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (req.method === 'POST' && url.pathname === '/token') return send(res, 200, { access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
      if (req.method === 'GET' && url.pathname === reviewsPath) {
        fake.reviewLists += 1;
        const list = [...reviews.values()].sort((a, b) => (a.updateTime < b.updateTime ? 1 : -1));
        return send(res, 200, { reviews: list, totalReviewCount: list.length });
      }
      if (req.method === 'GET' && url.pathname.startsWith(`${reviewsPath}/`)) {
        const reviewId = decodeURIComponent(url.pathname.slice(reviewsPath.length + 1));
        fake.reviewGets.push(reviewId);
        await fake.beforeReviewGet?.(reviewId);
        if (fake.garbledReviews.has(reviewId)) return send(res, 200, { unexpected: true });
        const review = reviews.get(reviewId);
        return review === undefined ? send(res, 404, error(404, 'NOT_FOUND', 'Requested entity was not found.')) : send(res, 200, review);
      }
      if (req.method === 'PATCH' && url.pathname === `/v1/accounts/${accountId}/notificationSetting`) {
        fake.notificationSettings.push({ path: url.pathname, updateMask: url.searchParams.get('updateMask'), body });
        if (fake.refuseNotificationSetting) return send(res, 403, error(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
        return send(res, 200, body);
      }
      if (req.method === 'POST' && url.pathname === `/v1/${fake.subscription}:pull`) {
        fake.pulls += 1;
        const answer = (await pull(body)) as { receivedMessages?: unknown[] };
        if (answer.receivedMessages !== undefined && fake.dropPullsWithMessages > 0) {
          fake.dropPullsWithMessages -= 1;
          req.socket.destroy();
          return;
        }
        return send(res, 200, answer);
      }
      if (req.method === 'POST' && url.pathname === `/v1/${fake.subscription}:acknowledge`) {
        const ackIds = (body as { ackIds?: string[] }).ackIds ?? [];
        fake.acks.push(ackIds);
        if (fake.beforeAcknowledge !== null && !(await fake.beforeAcknowledge(ackIds))) return;
        for (const ackId of ackIds) {
          const message = ackIdsOf.get(ackId);
          if (message !== undefined) message.acked = true;
        }
        return send(res, 200, {});
      }
      send(res, 404, error(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`));
    })().catch((failure: unknown) => send(res, 500, error(500, 'INTERNAL', String(failure))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
