import type { Config } from '../../config/config.ts';
import { ConnectorError, type Connector, type Logger } from '../../connectors/contract.ts';
import { ReplyRefused, replyLength, type ReplyCapability, type ReplyLimits } from '../../connectors/reply-contract.ts';
import { findConnector } from '../../connectors/registry.ts';
import type { Db } from '../../db/database.ts';
import { findReplySubject, insertReply, lockItemReplyState, type ReplyRecord, type ReplySubject } from '../../db/repositories/item-replies.ts';
import type { TenantScope } from '../../db/repositories/tenant-scope.ts';
import type { Queues } from '../jobs/queues.ts';
import { decryptCredentials, type CredentialsKey } from '../sources/credentials.ts';
import { createRequestBudget } from '../sources/http/request-budget.ts';
import { enqueueReply } from './enqueue-reply.ts';
import { openReplyContext } from './reply-context.ts';
import { checkReplyOrder } from './reply-order.ts';
import { ReplyInputRefused, ReplyPlatformUnreachable } from './reply-refusals.ts';
import { replySupport } from './reply-support.ts';
import { replyTarget } from './reply-target.ts';

export interface CreateReplyDeps {
  db: Db;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  /** Where a Redis that could not take the job is noted (the reconciler sends the reply anyway). */
  log?: Logger;
}

export interface ReplyInput {
  text: string;
  /** The reply this one changes: the item's current Earshot reply as the person saw it; null for a first reply. */
  replaces: string | null;
  /** Who wrote it, as the timeline names them. */
  author: string;
  authorUserId: string | null;
}

/** A request asking the platform for its limit waits at most this long for the shared budget. */
const BUDGET_WAIT_MS = 5_000;

const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Schedules a reply to an item: everything the platform would refuse whatever happens
 * next is checked first (text, length as the platform counts it, the item itself, the
 * source's reply credentials, the reply it changes), then the reply is written with its
 * undo window and its send is queued for the window's end. Undefined: the item is not in
 * the scope. Throws ReplyInputRefused, or ReplyPlatformUnreachable when the platform's
 * limit cannot be read just now.
 */
export async function createReply(deps: CreateReplyDeps, scope: TenantScope, itemId: string, input: ReplyInput): Promise<ReplyRecord | undefined> {
  const subject = await findReplySubject(deps.db, scope, itemId);
  if (subject === undefined) return undefined;
  const text = input.text.trim();
  if (text === '') throw new ReplyInputRefused('text_empty', 'text', 'Write the reply before sending it.');
  const connector = findConnector(subject.source.type);
  if (connector?.reply === undefined) {
    const platform = connector?.shortName ?? subject.source.type;
    throw new ReplyInputRefused('reply_not_supported', null, `${platform} has no way for Earshot to publish a reply: reply on ${platform} itself, then record that you replied.`);
  }
  const capability = connector.reply;
  const settings = replySettings(deps, connector, subject);
  try {
    capability.checkTarget?.(replyTarget(subject), new Date());
  } catch (error) {
    if (error instanceof ReplyRefused) throw new ReplyInputRefused(error.reason, error.reason === 'too_long' ? 'text' : null, error.message);
    throw error;
  }
  checkLength(text, await askLimits(deps, connector, capability, settings), connector.shortName);

  const reply = await deps.db.transaction().execute(async (trx) => {
    const state = await lockItemReplyState(trx, scope, itemId);
    if (state === undefined) return undefined;
    checkReplyOrder(state, input.replaces, subject, { shortName: connector.shortName, canUpdate: capability.canUpdate });
    return insertReply(trx, {
      accountId: subject.accountId,
      businessId: subject.businessId,
      itemId,
      text,
      replaces: input.replaces,
      author: input.author,
      authorUserId: input.authorUserId,
      undoSeconds: deps.config.replyUndoSeconds,
    });
  });
  if (reply === undefined) return undefined;
  try {
    await enqueueReply(deps.queues, reply);
  } catch (error) {
    // The reply is on record: the reconciler queues one past its send time within about two minutes.
    deps.log?.warn({ replyId: reply.id, err: error instanceof Error ? error.message : String(error) }, 'could not queue the reply now; the reconciler will');
  }
  return reply;
}

/** The source's parsed settings, or "replies not set up" when the credentials a reply needs are missing or unreadable. */
function replySettings(deps: CreateReplyDeps, connector: Connector<any, any>, subject: ReplySubject): { config: unknown; credentials: unknown } {
  const notSetUp = (what: string) =>
    new ReplyInputRefused('replies_not_set_up', null, `Replies to ${connector.shortName} are not set up for this source: ${what}`);
  let credentials: Record<string, string>;
  try {
    credentials = decryptCredentials(deps.credentialsKey, subject.source.id, subject.source.credentials);
  } catch {
    throw notSetUp("its stored credentials cannot be read; enter them again in the source's settings.");
  }
  const support = replySupport(subject.source.type, credentials);
  if (support.kind === 'not_set_up') throw notSetUp(support.setUp);
  try {
    return connector.parseConfig(subject.source.config, credentials);
  } catch (error) {
    throw notSetUp(error instanceof Error ? error.message : String(error));
  }
}

async function askLimits(
  deps: CreateReplyDeps,
  connector: Connector<any, any>,
  capability: ReplyCapability<any, any>,
  settings: { config: unknown; credentials: unknown },
): Promise<ReplyLimits> {
  const budget = createRequestBudget(deps.queues.connection, `${deps.queues.prefix}:budget`, { maxWaitMs: BUDGET_WAIT_MS });
  const { ctx, close } = openReplyContext(connector, { allowPrivateUrls: deps.config.allowPrivateUrls, budget, log: deps.log ?? quietLog });
  try {
    return await capability.limits(settings.config, settings.credentials, ctx);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.kind === 'config') {
      throw new ReplyInputRefused('replies_not_set_up', null, `Replies to ${connector.shortName} are not set up for this source: ${connector.shortName} refused its credentials (${error.message}).`);
    }
    throw new ReplyPlatformUnreachable(connector.shortName, error.message);
  } finally {
    await close();
  }
}

const UNIT_WORDS = { bytes: 'bytes (an accented letter or emoji counts as 2–4)', characters: 'characters', graphemes: 'characters' } as const;

function checkLength(text: string, limits: ReplyLimits, platform: string): void {
  const length = replyLength(text, limits.unit);
  if (length <= limits.maxLength) return;
  throw new ReplyInputRefused(
    'too_long',
    'text',
    `The reply is too long for ${platform}: ${length} ${UNIT_WORDS[limits.unit]}, at most ${limits.maxLength} allowed.`,
  );
}
