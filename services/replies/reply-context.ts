import type { Dispatcher } from 'undici';
import type { Connector, ConnectorContext, Logger } from '../../connectors/contract.ts';
import { createConnectorHttp } from '../sources/http/connector-http.ts';
import type { RequestBudget } from '../sources/http/request-budget.ts';

/** How long a reply's platform calls may take in all, for one request or one job attempt. */
const REPLY_CALLS_TIMEOUT_MS = 60_000;

export interface ReplyHttpDeps {
  allowPrivateUrls: boolean;
  /** The platform's request allowance, shared with polling (a reply spends it too). */
  budget: RequestBudget;
  /** The process's guarded connection pool; without one, the context makes (and closes) its own. */
  agent?: Dispatcher;
  log: Logger;
}

/**
 * The ConnectorContext a reply's platform calls run in: the same guarded HTTP client
 * and shared budget as polling (see services/jobs/poll-job.ts), bounded in time.
 */
export function openReplyContext(connector: Connector<any, any>, deps: ReplyHttpDeps): { ctx: ConnectorContext; close(): Promise<void> } {
  const signal = AbortSignal.timeout(REPLY_CALLS_TIMEOUT_MS);
  const http = createConnectorHttp({
    platform: connector.id,
    allowPrivateUrls: deps.allowPrivateUrls,
    ...(deps.agent && { agent: deps.agent }),
    budget: deps.budget,
    budgetLimits: connector.budget,
    signal,
    log: deps.log,
  });
  return { ctx: { http, log: deps.log, now: () => new Date(), signal }, close: () => http.close() };
}
