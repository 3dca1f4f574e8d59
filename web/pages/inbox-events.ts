import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { databaseNow, listInboxArrivals, loadInboxScope } from '../../db/repositories/inbox-queries.ts';
import { findLiveSession } from '../../db/repositories/sessions.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { hashSessionToken } from '../../services/people/sessions.ts';
import { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import { readCookie } from '../cookies.ts';
import { SESSION_COOKIE } from '../session-auth.ts';
import { inboxRows, rowContext } from './inbox-rows.ts';
import { readInboxRequest } from './inbox-view.ts';

/**
 * How far back each check looks before the last one. An item is dated by the start of
 * the transaction that stored it, which may commit a moment later, and it reaches
 * Needs reply only once analysis has flagged it: both happen within seconds, so a
 * window this wide catches them; rows already sent are left out by id.
 */
export const liveRowsLag = 120_000;
const CHECK_EVERY_MS = 5_000;
/** Rows sent per check at most: a burst beyond it arrives over the next checks. */
const ROWS_PER_CHECK = 20;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 25_000;
/** Streams end after a while and the browser reconnects, so each stream re-checks access from scratch. */
const STREAM_LIFETIME_MS = 10 * 60_000;

interface LiveStream {
  end(): void;
}

function readInstant(text: string | undefined): Date | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Live rows: a server-sent-events stream that sends the inbox rows of items that
 * arrived since the page was drawn, in the page's tab and filters, as the page
 * would draw them. web/assets/inbox.js puts them on top of the list.
 */
export function inboxEventRoutes(deps: ApiDeps): FastifyPluginAsync {
  const clocks = new OpeningClocks();
  const open = new Set<LiveStream>();
  const idleSeconds = deps.config.sessionIdleHours * 3600;

  /** The person's scope as their session now stands, or undefined once they signed out or were removed. */
  async function currentScope(request: FastifyRequest): Promise<(TenantScope & { userId: string }) | undefined> {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token === undefined) return undefined;
    const session = await findLiveSession(deps.db, hashSessionToken(token), idleSeconds);
    return session && { accountId: session.accountId, businessIds: session.businessIds, userId: session.userId };
  }

  return async (app) => {
    // Open streams would keep app.close() waiting for ever: end them first.
    app.addHook('preClose', async () => {
      for (const stream of open) stream.end();
    });

    app.get('/inbox/events', { config: { page: { roles: ['owner', 'staff', 'consultant'] } }, schema: { hide: true } }, async (request, reply) => {
      const view = readInboxRequest(request.query);
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = readInstant(typeof lastEventId === 'string' ? lastEventId : undefined) ?? readInstant(queryText(request, 'since'));
      let watermark = resumeFrom ?? (await databaseNow(deps.db));
      // Rows the page already shows that fall inside the first window, then every row sent.
      const known = new Map<string, number>();
      for (const id of (queryText(request, 'known') ?? '').split(',').slice(0, 100)) if (isUuid(id)) known.set(id.toLowerCase(), watermark.getTime());

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      raw.write(`retry: ${CHECK_EVERY_MS}\n\n`);

      let timer: NodeJS.Timeout | undefined;
      let ended = false;
      let lastWrite = Date.now();
      const startedAt = Date.now();
      const stream: LiveStream = {
        end() {
          if (ended) return;
          ended = true;
          clearTimeout(timer);
          open.delete(stream);
          raw.end();
        },
      };
      open.add(stream);
      request.raw.on('close', () => stream.end());

      const check = async (): Promise<void> => {
        const scope = await currentScope(request);
        if (scope === undefined) {
          // Signed out elsewhere: say so, and stop; the browser's next page load asks to sign in.
          raw.write('event: signed-out\ndata: {}\n\n');
          stream.end();
          return;
        }
        const checkedAt = await databaseNow(deps.db);
        const seenAfter = new Date(watermark.getTime() - liveRowsLag);
        for (const [id, seen] of known) if (seen <= seenAfter.getTime()) known.delete(id);
        const rows = await listInboxArrivals(deps.db, scope, { tab: view.tab, userId: scope.userId, filters: view.filters }, {
          seenAfter,
          known: [...known.keys()],
          limit: ROWS_PER_CHECK,
        });
        if (ended) return;
        // With a full batch, continue from the last row sent rather than from now, so none is skipped.
        watermark = rows.length === ROWS_PER_CHECK ? new Date(Math.max(seenAfter.getTime() + liveRowsLag, rows.at(-1)!.firstSeenAt.getTime())) : checkedAt;
        for (const row of rows) known.set(row.id, row.firstSeenAt.getTime());
        if (rows.length > 0) {
          const { businesses, sources } = await loadInboxScope(deps.db, scope);
          const markup = inboxRows([...rows].reverse(), rowContext(sources, businesses, clocks, checkedAt)).text;
          if (ended) return;
          raw.write(`id: ${watermark.toISOString()}\nevent: rows\ndata: ${JSON.stringify({ count: rows.length, html: markup })}\n\n`);
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
          raw.write(': still here\n\n');
          lastWrite = Date.now();
        }
      };

      const loop = async (): Promise<void> => {
        if (ended) return;
        if (Date.now() - startedAt > STREAM_LIFETIME_MS) return stream.end();
        try {
          await check();
        } catch (error) {
          // PostgreSQL away for a moment: the stream ends and the browser retries.
          request.log.warn({ err: error }, 'live inbox rows stopped');
          return stream.end();
        }
        if (!ended) timer = setTimeout(() => void loop(), CHECK_EVERY_MS);
      };
      timer = setTimeout(() => void loop(), 0);
    });
  };
}
