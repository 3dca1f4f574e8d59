import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { ConnectorError, type Connector, type ConnectorContext } from '../../connectors/contract.ts';
import { findConnector } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { claimPollSlot } from '../../db/repositories/poll-state.ts';
import { keepBadPage, recordPollFailure, recordPollSuccess, recordRateLimited } from '../../db/repositories/source-health.ts';
import type { Source } from '../../db/schema.ts';
import { createDeliveries } from '../alerts/create-deliveries.ts';
import { enqueueAlerts } from '../alerts/enqueue-alerts.ts';
import { enqueueAnalysis } from '../analysis/enqueue-analysis.ts';
import { createConnectorHttp } from '../sources/http/connector-http.ts';
import type { Dispatcher } from 'undici';
import type { RequestBudget } from '../sources/http/request-budget.ts';
import { credentialSecrets, redactAll } from '../sources/http/request-secrets.ts';
import { ingestPage, type IngestResult } from '../ingest/ingest-page.ts';
import { recheckAwaitedReviews } from '../sources/recheck-awaited-reviews.ts';
import { isBackingServiceOutage } from '../runtime/backing-service-outage.ts';
import type { PollJobData, Queues } from './queues.ts';
import { decryptCredentials, type CredentialsKey } from '../sources/credentials.ts';

export interface PollJobDeps {
  db: Db;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  budget: RequestBudget;
  /** One connection pool per process, guarded against private addresses per config. */
  agent: Dispatcher;
  log: Logger;
}

export type PollJobResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'polled'; pages: number; inserted: number; revised: number; queuedForAnalysis: number; rechecked: number; removed: number; skipped: number }
  | { outcome: 'failed'; kind: string };

/**
 * Polls one source for one slot: pages from the connector are stored one transaction
 * each, and each page's new or edited items go to the analyze queue as one batch.
 */
export async function runPollJob(job: Job<PollJobData>, deps: PollJobDeps, signal: AbortSignal): Promise<PollJobResult> {
  const source = await claimPollSlot(deps.db, job.data.sourceId, job.data.slot, job.name === 'poll-now', deps.config.streamSafetyNetPollMinutes);
  if (!source) {
    deps.log.debug({ sourceId: job.data.sourceId, slot: job.data.slot }, 'poll skipped: slot already polled, or source paused or removed');
    return { outcome: 'skipped', reason: 'slot already polled, or source paused or removed' };
  }
  const log = deps.log.child({ sourceId: source.id, type: source.type });
  const connector = findConnector(source.type);
  if (!connector) {
    await recordPollFailure(deps.db, source.id, { kind: 'config', message: `unknown source type "${source.type}"`, needsAttention: true });
    throw new UnrecoverableError(`unknown source type ${source.type}`);
  }
  // Whatever a platform sends back may echo the source's credentials: scrubbed from everything stored or logged.
  let secrets: string[] = [];
  const scrub = (text: string) => redactAll(text, secrets);
  try {
    const credentials = decryptCredentials(deps.credentialsKey, source.id, source.credentials);
    secrets = credentialSecrets(credentials);
    const result = await pollSource(job, source, connector, credentials, deps, log, signal);
    await recordPollSuccess(deps.db, source.id);
    log.info(result, 'source polled');
    return result;
  } catch (error) {
    return handleFailure(error, source, deps, log, job, scrub);
  }
}

async function pollSource(
  job: Job<PollJobData>,
  source: Source,
  connector: Connector<any, any>,
  credentials: Record<string, string>,
  deps: PollJobDeps,
  log: Logger,
  signal: AbortSignal,
): Promise<Extract<PollJobResult, { outcome: 'polled' }>> {
  const parsed = connector.parseConfig(source.config, credentials);
  const ctx: ConnectorContext = {
    http: createConnectorHttp({
      platform: connector.id,
      allowPrivateUrls: deps.config.allowPrivateUrls,
      agent: deps.agent,
      budget: deps.budget,
      budgetLimits: connector.budget,
      signal,
      log,
    }),
    log,
    now: () => new Date(),
    signal,
  };
  const totals = { outcome: 'polled' as const, pages: 0, inserted: 0, revised: 0, queuedForAnalysis: 0, rechecked: 0, removed: 0, skipped: 0 };
  // Each batch to analyze is numbered by page; the lookups after the last page come next.
  const analyze = async (ingested: IngestResult, batch: number) => {
    if (ingested.toAnalyze.length === 0) return;
    await enqueueAnalysis(deps.queues, String(job.id), batch, ingested.toAnalyze);
    totals.queuedForAnalysis += ingested.toAnalyze.length;
  };
  for await (const page of connector.fetch(parsed.config, parsed.credentials, source.cursor, ctx)) {
    const ingested = await ingestPage(deps.db, source, page);
    if (ingested.skipped.length > 0) {
      log.warn({ skipped: ingested.skipped }, 'items the database refused were kept aside; the rest of the page is stored (see the source health)');
    }
    await analyze(ingested, totals.pages);
    totals.pages++;
    totals.inserted += ingested.inserted;
    totals.revised += ingested.revised;
    totals.removed += ingested.removed;
    totals.skipped += ingested.skipped.length;
  }
  const rechecked = await recheckAwaitedReviews(deps.db, source, connector, parsed, ctx, log);
  totals.rechecked = rechecked.asked;
  if (rechecked.ingested !== null) {
    await analyze(rechecked.ingested, totals.pages);
    totals.revised += rechecked.ingested.revised;
    totals.removed += rechecked.ingested.removed;
  }
  return totals;
}

async function handleFailure(
  error: unknown,
  source: Source,
  deps: PollJobDeps,
  log: Logger,
  job: Job<PollJobData>,
  scrub: (text: string) => string,
): Promise<PollJobResult> {
  if (isBackingServiceOutage(error)) {
    // Earshot's own Redis or PostgreSQL is away, not the platform: nothing is held against the
    // source, the outage is logged once where it is watched, and BullMQ retries the slot.
    log.debug({ err: error instanceof Error ? error.message : String(error) }, 'poll interrupted by an outage of Earshot\'s own services; will retry');
    throw error;
  }
  if (!(error instanceof ConnectorError) && !(error instanceof Error && error.name === 'CredentialsDecryptionError')) {
    // Unknown failures are treated as passing ones: record them and let BullMQ retry.
    const message = scrub(error instanceof Error ? error.message : String(error));
    await recordPollFailure(deps.db, source.id, { kind: 'transient', message, needsAttention: false });
    log.warn({ err: message, attempt: job.attemptsMade + 1 }, 'poll failed; will retry');
    throw error;
  }
  if (!(error instanceof ConnectorError)) {
    await needsAttention(source, error.message, deps);
    throw new UnrecoverableError(error.message);
  }
  const message = scrub(error.message);
  switch (error.kind) {
    case 'config':
      await needsAttention(source, message, deps);
      log.warn({ err: message }, 'source needs attention; polling paused until its config changes');
      return { outcome: 'failed', kind: 'config' };
    case 'rate_limited': {
      const retryAt = new Date(Date.now() + (error.retryAfterMs ?? 60_000));
      await recordRateLimited(deps.db, source.id, message, retryAt);
      log.warn({ retryAt }, 'platform rate limit reached; next poll postponed');
      return { outcome: 'failed', kind: 'rate_limited' };
    }
    case 'bad_payload':
      await keepBadPage(deps.db, source, message, scrub(error.payload ?? ''));
      await recordPollFailure(deps.db, source.id, {
        kind: 'bad_payload',
        message: `${message} (the page was kept for inspection; items stored before it are unaffected)`,
        needsAttention: false,
      });
      log.warn({ err: message }, 'platform sent a page Earshot cannot read');
      return { outcome: 'failed', kind: 'bad_payload' };
    case 'transient':
      await recordPollFailure(deps.db, source.id, { kind: 'transient', message, needsAttention: false });
      log.warn({ err: message, attempt: job.attemptsMade + 1 }, 'poll failed; will retry');
      throw error;
  }
}

/** Stops polling the source until its settings change, and tells the owner once per occurrence. */
async function needsAttention(source: Source, message: string, deps: PollJobDeps): Promise<void> {
  await recordPollFailure(deps.db, source.id, { kind: 'config', message, needsAttention: true });
  // A manual poll of a source already waiting for a fix must not email again.
  if (source.status === 'needs_attention') return;
  const incident = new Date().toISOString();
  const deliveryIds = await createDeliveries(deps.db, { kind: 'source_needs_attention', sourceId: source.id, incident });
  await enqueueAlerts(deps.queues, `notice-${source.id}-${incident}`, deliveryIds);
}
