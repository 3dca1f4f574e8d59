import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { ConnectorError, type HttpClient, type HttpRequest, type HttpResponse, type Logger } from '../../../connectors/contract.ts';
import { createGuardedAgent } from './guarded-agent.ts';
import { networkError } from './network-error.ts';
import { literalHostProblem } from './private-address.ts';
import type { BudgetLimits, RequestBudget } from './request-budget.ts';
import { redactAll, secretsIn } from './request-secrets.ts';
import { statusError } from './status-error.ts';

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
// A user-supplied baseUrl can point anywhere; nothing a platform sends us is this big.
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;
const USER_AGENT = 'Earshot (self-hosted review monitor)';
// Headers that carry nothing a foreign host should see; all others are dropped on a cross-origin redirect.
const CROSS_ORIGIN_SAFE_HEADERS = new Set(['accept', 'user-agent']);

export type ConnectorHttpOptions = ClientOptions & BudgetOptions;

/** Every request draws from the platform's shared budget: the connector's own `budget` limits. */
type BudgetOptions = { budget: RequestBudget; budgetLimits: BudgetLimits } | { budget?: undefined; budgetLimits?: undefined };

interface ClientOptions {
  /** The connector id; names the platform in errors and the shared budget. */
  platform: string;
  allowPrivateUrls: boolean;
  /** Cancels every request in flight (the poll was stopped). */
  signal: AbortSignal;
  /** Longest wait for response headers, and between body chunks; the whole request gets twice this. */
  timeoutMs?: number;
  log: Logger;
  /** A process-wide agent from `createGuardedAgent(allowPrivateUrls)`; without one the client makes its own. */
  agent?: Dispatcher;
  now?: () => Date;
}

/** The connectors' HttpClient; `close()` releases the agent if the client made its own. */
export interface ConnectorHttp extends HttpClient {
  close(): Promise<void>;
}

interface Hop {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function createConnectorHttp(options: ConnectorHttpOptions): ConnectorHttp {
  const { platform, log, signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { dispatcher, release } = agentFor(options);
  const now = options.now ?? (() => new Date());

  function refuseUnsafeUrl(url: string, label: string): void {
    const problem = literalHostProblem(url, options.allowPrivateUrls);
    if (problem !== null) throw new ConnectorError('config', `${platform} ${label} refused: the URL ${problem}`);
  }

  async function dispatch(hop: Hop, label: string): Promise<HttpResponse> {
    const deadline = AbortSignal.timeout(timeoutMs * 2);
    const started = performance.now();
    try {
      const response = await request(hop.url, {
        dispatcher,
        method: hop.method,
        headers: hop.headers,
        body: hop.body,
        signal: AbortSignal.any([signal, deadline]),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readCapped(response.body, platform, label);
      log.debug({ platform, label, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'platform request');
      return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw networkError(platform, label, error, { cancelled: signal.aborted, timedOut: deadline.aborted });
    }
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const secrets = secretsIn(req);
    let hop = firstHop(req);
    for (let redirects = 0; ; redirects++) {
      refuseUnsafeUrl(hop.url, req.label);
      if (options.budget) await options.budget.take(platform, options.budgetLimits, signal);
      const response = await dispatch(hop, req.label);
      const location = response.headers.location;
      if (isRedirect(response.status) && location !== undefined) {
        if (redirects === MAX_REDIRECTS) {
          throw new ConnectorError('transient', `${platform} ${req.label} failed: more than ${MAX_REDIRECTS} redirects`, {
            status: response.status,
          });
        }
        const next = nextHop(hop, response.status, location);
        if (next === 'invalid') {
          throw new ConnectorError('transient', `${platform} ${req.label} failed: redirected to an invalid URL`, { status: response.status });
        }
        if (next === null) {
          throw new ConnectorError('config', `${platform} ${req.label} refused: redirected to another site, which would receive the request body`, {
            status: response.status,
          });
        }
        hop = next;
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response;
      if (req.answers?.includes(response.status)) return response;
      // A conditional GET (feeds) is answered "not modified": the caller's answer, not a failure.
      if (response.status === 304 && isConditional(hop.headers)) return response;
      throw statusError(platform, req.label, response, secrets, now());
    }
  }

  return {
    send,
    async json(req) {
      const response = await send(req);
      try {
        return { status: response.status, headers: response.headers, body: JSON.parse(response.text) as unknown };
      } catch (error) {
        throw new ConnectorError('bad_payload', `${platform} ${req.label} returned a body that is not JSON`, {
          status: response.status,
          // Kept for inspection: what we sent (a token, a key) is scrubbed if the platform echoes it.
          payload: redactAll(response.text.slice(0, MAX_KEPT_PAYLOAD_CHARS), secretsIn(req)),
          cause: error,
        });
      }
    },
    close: release,
  };
}

/** A shared agent belongs to the process; one made here is this client's to close. */
function agentFor(options: ConnectorHttpOptions): { dispatcher: Dispatcher; release(): Promise<void> } {
  if (options.agent) return { dispatcher: options.agent, release: async () => {} };
  const agent = createGuardedAgent(options.allowPrivateUrls);
  return {
    dispatcher: agent,
    async release() {
      if (!agent.closed) await agent.close();
    },
  };
}

function firstHop(req: HttpRequest): Hop {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  if (typeof req.body === 'string') body = req.body;
  else if (req.body instanceof URLSearchParams) {
    // OAuth token endpoints take HTML form bodies.
    body = req.body.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method: req.method ?? 'GET', url: req.url, headers, body };
}

function isConditional(headers: Record<string, string>): boolean {
  return headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The request to send after a redirect, or null when following it would hand the body to another site. */
function nextHop(previous: Hop, status: number, location: string): Hop | null | 'invalid' {
  if (!URL.canParse(location, previous.url)) return 'invalid';
  const url = new URL(location, previous.url);
  // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
  const becomesGet = status === 303 || (previous.method === 'POST' && (status === 301 || status === 302));
  const sameOrigin = url.origin === new URL(previous.url).origin;
  if (!sameOrigin && !becomesGet && previous.body !== undefined) return null;
  const headers = sameOrigin
    ? { ...previous.headers }
    : Object.fromEntries(Object.entries(previous.headers).filter(([name]) => CROSS_ORIGIN_SAFE_HEADERS.has(name)));
  if (becomesGet) delete headers['content-type'];
  return {
    method: becomesGet ? 'GET' : previous.method,
    url: url.toString(),
    headers,
    body: becomesGet ? undefined : previous.body,
  };
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, platform: string, label: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new ConnectorError('bad_payload', `${platform} ${label} returned more than ${MAX_BODY_BYTES} bytes`, {
        payload: Buffer.concat(chunks).toString('utf8').slice(0, MAX_KEPT_PAYLOAD_CHARS),
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
