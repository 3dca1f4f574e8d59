import type { ConnectorContext } from '../contract.ts';
import { isRecord, stringOrNull } from '../payload-shape.ts';
import { ReplyRefused, type ReplyTarget } from '../reply-contract.ts';
import type { MastodonConfig } from './settings.ts';
import { original, readSearchResults, type Status } from './status.ts';

/** The post answered, as the replying account's instance knows it. */
export interface ReplyParent {
  /** This instance's own id of the post: what `in_reply_to_id` and `/context` take. */
  id: string;
  /** Its author as a mention is written here: `name` on this instance, `name@server` from another. */
  acct: string | null;
}

export function bearer(accessToken: string): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}` };
}

function parentOf(status: Status): ReplyParent {
  const account = isRecord(status.account) ? status.account : {};
  return { id: status.id, acct: stringOrNull(account.acct) };
}

/**
 * Finds the post on the instance by its uri (the item's external id) with a resolving
 * search, as Mastodon's own apps do for a post from another server: it fetches the post
 * if the instance has not seen it, and gives the id valid here today. When the search
 * finds nothing (the post's server is down, say), the id stored with the item serves:
 * it was read from this same instance.
 */
export async function replyParent(ctx: ConnectorContext, config: MastodonConfig, accessToken: string, target: ReplyTarget): Promise<ReplyParent> {
  const url = new URL(`${config.baseUrl}/api/v2/search`);
  url.searchParams.set('q', target.externalId);
  url.searchParams.set('type', 'statuses');
  url.searchParams.set('resolve', 'true');
  url.searchParams.set('limit', '1');
  const { body } = await ctx.http.json({ url: url.toString(), headers: bearer(accessToken), label: 'find the post to reply to (search)' });
  const found = readSearchResults(body, 'mastodon find the post to reply to').map(original).find((status) => status.uri === target.externalId);
  if (found !== undefined) return parentOf(found);
  const stored = isRecord(target.raw) && typeof target.raw.id === 'string' && typeof target.raw.uri === 'string' ? original(target.raw as Status) : null;
  if (stored !== null && stored.uri === target.externalId) return parentOf(stored);
  throw new ReplyRefused('not_allowed', `${new URL(config.instanceUrl).host} cannot find this post any more (deleted, or its server does not answer): reply on the platform instead`);
}
