import type { ConnectorContext } from '../contract.ts';
import { badPayload, isRecord } from '../payload-shape.ts';
import { ReplyRefused, type CurrentReply } from '../reply-contract.ts';
import { withoutMention } from './reply-mention.ts';
import { bearer, type ReplyParent } from './reply-target.ts';
import type { MastodonConfig } from './settings.ts';
import { readStatusList, statusCreatedAt, statusText } from './status.ts';

/** The id of the account the token belongs to: the account replies are posted as. */
async function ownAccountId(ctx: ConnectorContext, config: MastodonConfig, accessToken: string): Promise<string> {
  const { body } = await ctx.http.json({ url: `${config.baseUrl}/api/v1/accounts/verify_credentials`, headers: bearer(accessToken), label: 'verify credentials' });
  if (!isRecord(body) || typeof body.id !== 'string' || body.id === '') throw badPayload('mastodon verify credentials: the response has no account "id"', body);
  return body.id;
}

/**
 * Our account's direct answer to the post, from the post's context. Our own posts are
 * local, so the instance always knows them, whichever server the post came from.
 * The text is read back without the author's mention that publishing put in front.
 */
export async function ownReply(ctx: ConnectorContext, config: MastodonConfig, accessToken: string, parent: ReplyParent): Promise<CurrentReply | null> {
  const accountId = await ownAccountId(ctx, config, accessToken);
  const response = await ctx.http.send({
    url: `${config.baseUrl}/api/v1/statuses/${encodeURIComponent(parent.id)}/context`,
    headers: bearer(accessToken),
    label: 'replies to the post (context)',
    answers: [404],
  });
  if (response.status === 404) throw new ReplyRefused('not_allowed', 'Mastodon no longer shows this post (deleted by its author): there is nothing to reply to');
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw badPayload('mastodon replies to the post (context): the response is not JSON', response.text);
  }
  if (!isRecord(body)) throw badPayload('mastodon replies to the post (context): the response is not an object', body);
  const ours = readStatusList(body.descendants, 'mastodon replies to the post (context) descendants')
    .filter((status) => status.in_reply_to_id === parent.id && isRecord(status.account) && status.account.id === accountId)
    .sort((a, b) => (statusCreatedAt(a)?.getTime() ?? 0) - (statusCreatedAt(b)?.getTime() ?? 0));
  const [first] = ours;
  return first === undefined ? null : { text: withoutMention(statusText(first), parent.acct), at: statusCreatedAt(first), platformReplyId: first.id };
}
