import type { Dispatcher } from 'undici';
import type { Config } from '../../config/config.ts';
import { ConnectorError, type Connector, type Logger } from '../../connectors/contract.ts';
import { ReplyRefused, type PublishedReply } from '../../connectors/reply-contract.ts';
import { findConnector } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import {
  claimReply,
  finishReply,
  loadClaimedSubject,
  releaseReply,
  type ClaimedReply,
  type FinalReplyStatus,
  type ReplySubject,
} from '../../db/repositories/item-replies.ts';
import { isBackingServiceOutage } from '../runtime/backing-service-outage.ts';
import { CredentialsDecryptionError, decryptCredentials, type CredentialsKey } from '../sources/credentials.ts';
import type { RequestBudget } from '../sources/http/request-budget.ts';
import { credentialSecrets, redactAll } from '../sources/http/request-secrets.ts';
import { REPLY_ATTEMPTS } from './enqueue-reply.ts';
import { recordPublished, recordStopped } from './reply-answers.ts';
import { openReplyContext } from './reply-context.ts';
import { replyTarget } from './reply-target.ts';
import { decideSend } from './send-decision.ts';

export interface SendReplyDeps {
  db: Db;
  config: Config;
  credentialsKey: CredentialsKey;
  budget: RequestBudget;
  agent?: Dispatcher;
  log: Logger;
}

export type SendOutcome = { outcome: 'skipped'; reason: string } | { outcome: FinalReplyStatus };

/** The reply could not be sent yet; the job is retried (after `retryAfterMs` when the platform said how long to wait). */
export class ReplyNotSentYet extends Error {
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ReplyNotSentYet';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Sends one reply, at most once. The reply is claimed in PostgreSQL with a lease; then the
 * platform is asked what owner reply it shows BEFORE anything is posted: our own text there
 * means an earlier attempt got through (a timeout, a worker killed after posting), so it is
 * recorded as published without posting again; someone else's reply (or a changed one, for
 * an update) stops the send. Passing failures release the claim and throw ReplyNotSentYet
 * for the job to be retried; failures the owner must fix finish the reply as `failed`, in
 * words saying what to do.
 */
export async function sendReply(replyId: string, deps: SendReplyDeps): Promise<SendOutcome> {
  const claim = await claimReply(deps.db, replyId, deps.config.replyLeaseSeconds);
  switch (claim.kind) {
    case 'missing':
      return { outcome: 'skipped', reason: 'the reply or its item was deleted' };
    case 'finished':
      return { outcome: 'skipped', reason: 'the reply was already sent, stopped or cancelled' };
    case 'not_due':
      // The job's delay was counted on this process's clock, the undo window on PostgreSQL's.
      throw new ReplyNotSentYet('the reply is still in its undo window');
    case 'held_elsewhere':
      throw new ReplyNotSentYet('the reply is being sent by another worker');
  }
  const reply = claim.reply;
  const loaded = await loadClaimedSubject(deps.db, reply);
  if (loaded === undefined) return { outcome: 'skipped', reason: 'the item was deleted' };
  const { subject, replaced } = loaded;
  const connector = findConnector(subject.source.type);
  if (connector?.reply === undefined) {
    return fail(deps.db, reply, `${connector?.shortName ?? subject.source.type} no longer takes replies from Earshot: reply on the platform itself, then record that you replied.`);
  }
  let secrets: string[] = [];
  try {
    const credentials = decryptCredentials(deps.credentialsKey, subject.source.id, subject.source.credentials);
    secrets = credentialSecrets(credentials);
    return await publishOnce(reply, subject, replaced, connector, credentials, deps);
  } catch (error) {
    return handleFailure(error, reply, connector, deps, (text) => redactAll(text, secrets));
  }
}

async function publishOnce(
  reply: ClaimedReply,
  subject: ReplySubject,
  replaced: { text: string; platformReplyId: string | null } | null,
  connector: Connector<any, any>,
  credentials: Record<string, string>,
  deps: SendReplyDeps,
): Promise<SendOutcome> {
  const capability = connector.reply!;
  const settings = connector.parseConfig(subject.source.config, credentials);
  const { ctx, close } = openReplyContext(connector, { allowPrivateUrls: deps.config.allowPrivateUrls, budget: deps.budget, ...(deps.agent && { agent: deps.agent }), log: deps.log });
  try {
    const target = replyTarget(subject);
    const current = await capability.current(settings.config, settings.credentials, target, ctx);
    const decision = decideSend(reply.text, replaced, current);
    if (decision.kind === 'stop') {
      await recordStopped(deps.db, reply, decision.reason, decision.shown, new Date());
      deps.log.info({ replyId: reply.id, itemId: reply.itemId }, 'reply stopped: the platform shows another owner reply');
      return { outcome: 'stopped' };
    }
    if (decision.kind === 'already_published') {
      const found: PublishedReply = { state: 'published', reason: null, platformReplyId: decision.current.platformReplyId, at: decision.current.at, url: subject.url };
      await recordPublished(deps.db, reply, found, new Date());
      deps.log.info({ replyId: reply.id, itemId: reply.itemId }, 'reply found on the platform from an earlier attempt; recorded without posting again');
      return { outcome: 'published' };
    }
    const requestedAt = new Date();
    const published = await capability.publish(settings.config, settings.credentials, target, reply.text, ctx, decision.replacing);
    await recordPublished(deps.db, reply, published, requestedAt);
    deps.log.info({ replyId: reply.id, itemId: reply.itemId, state: published.state }, 'reply published');
    return { outcome: published.state };
  } finally {
    await close();
  }
}

async function fail(db: Db, reply: ClaimedReply, reason: string): Promise<SendOutcome> {
  await finishReply(db, reply, { status: 'failed', reason, publishedAt: null, platformReplyId: null, platformReplyUrl: null });
  return { outcome: 'failed' };
}

async function handleFailure(
  error: unknown,
  reply: ClaimedReply,
  connector: Connector<any, any>,
  deps: SendReplyDeps,
  scrub: (text: string) => string,
): Promise<SendOutcome> {
  // Earshot's own PostgreSQL or Redis is away: the claim's lease brings the reply back.
  if (isBackingServiceOutage(error)) throw error;
  const platform = connector.shortName;
  const message = scrub(error instanceof Error ? error.message : String(error));
  if (error instanceof CredentialsDecryptionError) {
    return fail(deps.db, reply, `The source's stored credentials cannot be read: enter them again in the source's settings, then send the reply again.`);
  }
  if (error instanceof ReplyRefused) return fail(deps.db, reply, `${platform} would not take this reply: ${message}`);
  if (error instanceof ConnectorError && error.kind === 'config') {
    return fail(deps.db, reply, `${platform} refused the reply: ${message}. Check the source's settings and its access on ${platform}, then send the reply again.`);
  }
  if (reply.attempts >= REPLY_ATTEMPTS) {
    return fail(deps.db, reply, `${platform} could not be reached after ${reply.attempts} tries (${message}). Send the reply again later.`);
  }
  await releaseReply(deps.db, reply, message);
  deps.log.warn({ replyId: reply.id, attempt: reply.attempts, err: message }, 'reply not sent yet; will retry');
  const retryAfterMs = error instanceof ConnectorError && error.kind === 'rate_limited' ? error.retryAfterMs : null;
  throw new ReplyNotSentYet(`${platform}: ${message}`, retryAfterMs);
}
