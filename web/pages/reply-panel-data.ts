import type { ReplyLimits } from '../../connectors/reply-contract.ts';
import { findConnector } from '../../connectors/registry.ts';
import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { findReplySubject, listReplies, type ReplyRecord, type ReplySubject } from '../../db/repositories/item-replies.ts';
import type { ItemDetailRecord } from '../../db/repositories/item-queries.ts';
import { listReplyTemplates } from '../../db/repositories/reply-templates.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { Person } from '../../services/people/sessions.ts';
import { replySupport, type ReplySupport } from '../../services/replies/reply-support.ts';
import { openReplyContext } from '../../services/replies/reply-context.ts';
import { defaultTemplateFor, fillTemplate } from '../../services/replies/templates.ts';
import { decryptCredentials } from '../../services/sources/credentials.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';

/** A template as the reply box offers it: already filled in for this item. */
export interface FilledTemplate {
  id: string;
  name: string;
  text: string;
}

/** Everything the item page's replies section needs. */
export interface ReplyPanelData {
  support: ReplySupport;
  /** The platform's limit, when it could be read now (createReply checks it again on Send). */
  limits: ReplyLimits | null;
  /** Whether a published reply can be changed in place on this platform. */
  canUpdate: boolean;
  replies: ReplyRecord[];
  templates: FilledTemplate[];
  /** The template offered first for the item's rating. */
  defaultTemplateId: string | null;
  sourceId: string;
}

/** Asking the platform for its limit (Mastodon's instance) must never hold the page up. */
const LIMITS_WAIT_MS = 2_000;

const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

function credentialsOf(deps: ApiDeps, subject: ReplySubject): Record<string, string> | undefined {
  try {
    return decryptCredentials(deps.credentialsKey, subject.source.id, subject.source.credentials);
  } catch {
    return undefined;
  }
}

/** The limit as the connector states it; null when it cannot be told quickly (the Send checks it anyway). */
async function readLimits(deps: ApiDeps, subject: ReplySubject, credentials: Record<string, string>): Promise<ReplyLimits | null> {
  const connector = findConnector(subject.source.type);
  if (connector?.reply === undefined) return null;
  const budget = createRequestBudget(deps.queues.connection, `${deps.queues.prefix}:budget`, { maxWaitMs: LIMITS_WAIT_MS });
  const { ctx, close } = openReplyContext(connector, { allowPrivateUrls: deps.config.allowPrivateUrls, budget, log: quietLog });
  try {
    const { config, credentials: parsed } = connector.parseConfig(subject.source.config, credentials);
    const timeout = new Promise<null>((resolve) => setTimeout(resolve, LIMITS_WAIT_MS, null).unref());
    return await Promise.race([connector.reply.limits(config, parsed, ctx), timeout]);
  } catch {
    return null;
  } finally {
    await close();
  }
}

/** The replies section's data, in the person's scope; undefined when the item left it meanwhile. */
export async function loadReplyPanel(deps: ApiDeps, person: Person, item: ItemDetailRecord, business: BusinessRecord): Promise<ReplyPanelData | undefined> {
  const [subject, replies, templates] = await Promise.all([
    findReplySubject(deps.db, person, item.id),
    listReplies(deps.db, person, item.id),
    listReplyTemplates(deps.db, person, item.businessId),
  ]);
  if (subject === undefined) return undefined;
  const credentials = credentialsOf(deps, subject);
  const support: ReplySupport =
    credentials === undefined
      ? { kind: 'not_set_up', setUp: "its stored credentials cannot be read; enter them again in the source's settings." }
      : replySupport(subject.source.type, credentials);
  // Only the reply box shows the limit, and only people who may reply see the box.
  const limits = support.kind === 'api' && credentials !== undefined && person.role !== 'consultant' ? await readLimits(deps, subject, credentials) : null;
  const context = { author: item.author, business: business.name };
  return {
    support,
    limits,
    canUpdate: findConnector(subject.source.type)?.reply?.canUpdate ?? false,
    replies,
    templates: templates.map((template) => ({ id: template.id, name: template.name, text: fillTemplate(template.body, context) })),
    defaultTemplateId: defaultTemplateFor(templates, item.rating)?.id ?? null,
    sourceId: subject.source.id,
  };
}
